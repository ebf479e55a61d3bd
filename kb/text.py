"""Article Markdown -> stored HTML with anchors on its headings, and the table of contents.

The body is rendered once, on write, by forum.markdown (markdown-it + nh3). The
sanitizer drops every `id` attribute a user could write, so the anchors are added
afterwards, here, from the heading's own text run through slugify: they can only
hold [a-z0-9-], and nothing else in the sanitized HTML changes.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

import nh3
from django.utils.text import slugify

from forum.markdown import render_markdown

_HEADING = re.compile(r"<(h[23])>(.*?)</\1>", re.DOTALL)
_ANCHORED = re.compile(r'<h([23]) id="([a-z0-9-]+)">(.*?)</h\1>', re.DOTALL)
# A table of contents helps from this many headings on; shorter articles read at a glance.
TOC_MIN_HEADINGS = 3


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(nh3.clean(fragment, tags=set())).split())


def add_heading_ids(html: str) -> str:
    used: dict[str, int] = {}

    def anchor(match: re.Match) -> str:
        base = slugify(_text(match.group(2)))[:60].strip("-") or "section"
        used[base] = used.get(base, 0) + 1
        slug = base if used[base] == 1 else f"{base}-{used[base]}"
        return f'<{match.group(1)} id="{slug}">{match.group(2)}</{match.group(1)}>'

    return _HEADING.sub(anchor, html)


def render_article(body_md: str) -> str:
    """Staff-written text: personal data is not masked, so a support address can be shown
    (a promoted answer's text was already masked when it was posted)."""
    return add_heading_ids(render_markdown(body_md, mask_personal=False))


@dataclass
class TocEntry:
    level: int
    anchor: str
    text: str


def table_of_contents(body_html: str) -> list[TocEntry]:
    """The h2/h3 headings of a stored body, or [] when the article is too short to need one."""
    entries = [
        TocEntry(int(m.group(1)), m.group(2), _text(m.group(3))) for m in _ANCHORED.finditer(body_html)
    ]
    return entries if len(entries) >= TOC_MIN_HEADINGS else []
