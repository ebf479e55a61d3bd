"""Per-object URLs and HTML without a reversal or a template render per object (issue 14,
item 4). A URL (or a small fragment) is built once with KEY in place of the id, then each
object's id is put in its place: the same string `reverse()` or the template would give,
at the cost of a str.replace. KEY is 18 digits, the longest an id converter takes
(config/converters.py), and no real id or text on these pages holds it."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

KEY = "918273645546372819"


def url_maker(name: str) -> Callable[[int], str]:
    """A function giving reverse(name, args=[object_id]) for a URL whose one argument is
    an id, reversed once (per page: the script prefix and URLconf are the request's)."""
    url = reverse(name, args=[KEY])
    return lambda object_id: url.replace(KEY, str(object_id))


def rekey(html: str, object_id: int) -> str:
    """A fragment rendered with KEY as its object's id, for another object."""
    return html.replace(KEY, str(object_id))
