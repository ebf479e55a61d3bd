from django import template
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value) -> str:
    """ "3 hours ago": one unit is enough in a list; the exact time is in the title attribute."""
    if not value:
        return ""
    return f"{timesince(value, depth=1)} ago"
