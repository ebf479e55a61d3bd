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
    return f"waiting {waited_for(since, now)}"


def waited_for(since, now=None) -> str:
    """ "18 h", "25 min", "3 days": how long, in the words of waited_words."""
    now = now or timezone.now()
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"


@register.filter
def waited(since) -> str:
    return waited_words(since) if since else ""


@register.filter
def waited_short(since) -> str:
    return waited_for(since) if since else ""
