from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value) -> str:
    """ "3 hours ago": one unit is enough in a list; the exact time is in the title attribute."""
    if not value:
        return ""
    return f"{timesince(value, depth=1)} ago"


def waited_words(since, now=None) -> str:
    """ "waiting 18 h": plain hours since the wait began (minutes under an hour, days from
    the third day). The public figure; the desk counts support hours separately."""
    now = now or timezone.now()
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"waiting {minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"waiting {hours} h"
    return f"waiting {hours // 24} days"


@register.filter
def waited(since) -> str:
    return waited_words(since) if since else ""
