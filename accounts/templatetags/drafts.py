"""`{% draft_kept as path %}`: on the sign-in, sign-up and "check your email" pages,
the page whose text is kept for the visitor (accounts.drafts.kept_for)."""

from django import template

from accounts.drafts import kept_for

register = template.Library()


@register.simple_tag(takes_context=True)
def draft_kept(context) -> str | None:
    request = context.get("request")
    return kept_for(request) if request is not None else None
