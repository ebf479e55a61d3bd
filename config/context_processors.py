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


def anonymous_cache(request):
    """A page the anonymous cache may store is rendered with a placeholder for the CSRF
    token, which config.anoncache replaces with each visitor's own (after Django's own
    csrf processor, so this value wins)."""
    if getattr(request, "anon_cacheable", False):
        from config.anoncache import CSRF_PLACEHOLDER

        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
