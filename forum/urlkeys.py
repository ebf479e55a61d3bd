"""Per-object URLs and HTML without a reversal or a template render per object (issue 14,
item 4). A URL (or a small fragment) is built once with KEY in place of the id, then each
object's id is put in its place: the same string `reverse()` or the template would give,
at the cost of a str.replace. KEY is 18 digits, the longest an id converter takes
(config/converters.py), and no real id or text on these pages holds it."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

KEY = "918273645546372819"
# A slug no page holds, without KEY's digits (the id is put in first, then the slug).
SLUG_KEY = "zqslugplaceholderqz"
# What reverse() leaves as it is (it quotes anything else): only such slugs take the fast way.
_PLAIN = re.compile(r"[-a-zA-Z0-9_]+\Z")


def url_maker(name: str) -> Callable[[int], str]:
    """A function giving reverse(name, args=[object_id]) for a URL whose one argument is
    an id, reversed once (per page: the script prefix and URLconf are the request's)."""
    url = reverse(name, args=[KEY])
    return lambda object_id: url.replace(KEY, str(object_id))


def rekey(html: str, object_id: int) -> str:
    """A fragment rendered with KEY as its object's id, for another object."""
    return html.replace(KEY, str(object_id))


@lru_cache(maxsize=64)
def _pattern(name: str, with_id: bool, prefix: str, urlconf) -> str:
    return reverse(name, args=[KEY, SLUG_KEY] if with_id else [SLUG_KEY], urlconf=urlconf)


def slug_url(name: str, slug: str, object_id: int | None = None) -> str:
    """reverse(name, args=[object_id, slug]) (or args=[slug] without an id), the URL
    pattern reversed once per process, script prefix and URLconf: a thread's, tag's or
    category's link on a list of 20 rows cost ~4 reversals a row. A slug reverse() would
    quote goes through reverse()."""
    if not _PLAIN.match(slug):
        return reverse(name, args=[slug] if object_id is None else [object_id, slug])
    url = _pattern(name, object_id is not None, get_script_prefix(), get_urlconf())
    if object_id is not None:
        url = url.replace(KEY, str(int(object_id)))
    return url.replace(SLUG_KEY, slug)
