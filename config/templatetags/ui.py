"""Template tags for the shared page widgets in templates/includes/.

Most widgets are plain partials used with `{% include ... with ... %}`; a tag is
only needed where a template cannot build the argument itself (a list).
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@lru_cache(maxsize=256)
def _fixed_url(name: str, prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% fixed_url 'forum:list' %}`: `{% url %}` for a URL without arguments, reversed
    once per process (and script prefix), not on every page: the header and footer hold a
    dozen such links, the same for everyone (issue 14, item 4)."""
    return _fixed_url(name, get_script_prefix())


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*labels_and_urls):
    """`{% breadcrumbs "Questions" questions_url thread.category.name thread.category.get_absolute_url %}`

    Takes (label, url) pairs, outermost first. An empty url marks the current
    page, shown as text rather than a link.
    """
    if not labels_and_urls or len(labels_and_urls) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes one or more (label, url) pairs")
    pairs = zip(labels_and_urls[::2], labels_and_urls[1::2], strict=True)
    return {"crumbs": [{"label": label, "url": url} for label, url in pairs]}


@register.filter
def may_work_desk(user) -> bool:
    """`{% if user|may_work_desk %}`: the header's link to the staff desk (accounts.rules)."""
    from accounts import rules

    return rules.may_work_desk(user)
