from django.conf import settings

from accounts import rules


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # The account menu's team links and a suspended person's banner (no query: the
        # user row is loaded already).
        "may_moderate": rules.may_moderate(user),
        "may_read_audit": rules.may_read_audit(user),
        "suspended": rules.is_suspended(user),
    }
