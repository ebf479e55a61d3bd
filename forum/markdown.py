"""User Markdown -> sanitized HTML, rendered once on write and stored.

markdown-it-py parses CommonMark (+ tables, strikethrough) with raw HTML turned
off, so `<script>` typed by a user arrives as escaped text; nh3 (ammonia) then
keeps only an allow-list of tags, attributes and URL schemes, as a second wall
in case the parser ever emits something unexpected. Only the output of
`render_markdown` may be marked |safe in a template.

Comments use a "lite" mode (`render_markdown(text, lite=True)`): inline Markdown only —
links, `code`, *emphasis*, **strong**, ~~strike~~ and line breaks — in paragraphs; no
headings, lists, quotes, code blocks, tables or images (an image becomes a link to it).
It goes through the same nh3 sanitizing, with an allow-list of those inline tags.

Personal data is masked in the *source* first (PRODUCT.md: "email addresses,
phone numbers and order numbers are masked in public posts"), so neither the
stored Markdown, the HTML nor the search index ever holds it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from forum.masking import mask_personal_data

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr",
    "ul", "ol", "li", "pre", "code", "blockquote",
    "em", "strong", "del", "s", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
# markdown-it writes column alignment as style="text-align:..."; nothing else is kept.
_ALIGN_STYLE = re.compile(r"^text-align:\s*(left|right|center)$")

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def image_allowed(src: str) -> bool:
    """May a post embed this image? Only over https, and only from this site or a host
    the operator listed in IMAGE_HOSTS: an embedded image tells its host the IP address
    and reading time of everyone who opens the page (issue 11). No relative paths either:
    they could hit our own endpoints with the reader's cookies."""
    from django.conf import settings

    parts = urlsplit(src.strip())
    if parts.scheme.lower() != "https" or not parts.hostname:
        return False
    own = urlsplit(settings.SITE_URL).hostname
    return parts.hostname.lower() in {own, *settings.IMAGE_HOSTS}


def _render_image(self, tokens, idx, options, env) -> str:
    """An allowed image renders as usual; any other becomes a link to it, so the reader
    still gets it with one click and nothing the author wrote is lost."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    if image_allowed(src):
        return self.image(tokens, idx, options, env)
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    host = urlsplit(src).hostname or "another site"
    return f'<a href="{escapeHtml(src)}">{escapeHtml(alt)}</a> ({escapeHtml("image on " + host)})'


_md.add_render_rule("image", _render_image)

# Comments: paragraphs and inline markup only. A line break typed in the small box is
# kept (`breaks`), as people expect in a one-line-ish remark.
LITE_TAGS = {"p", "br", "code", "em", "strong", "del", "s", "a"}
_lite = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "breaks": True}).enable(
    ["newline", "escape", "backticks", "emphasis", "strikethrough", "link", "image", "autolink", "entity"]
)


def _render_image_as_link(self, tokens, idx, options, env) -> str:
    """No pictures in a comment: every image is a link to it (nothing typed is lost)."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    return f'<a href="{escapeHtml(src)}">{escapeHtml(alt)}</a>'


_lite.add_render_rule("image", _render_image_as_link)


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return value if _ALIGN_STYLE.match(value.strip()) else None
    if element == "img" and attribute == "src":
        return value if image_allowed(value) else None
    return value


# markdown-it stops opening blocks at its nesting limit (20 for CommonMark) and drops
# what lies deeper, so a body nested that far would lose text when rendered. Such a
# body is refused with a message instead; real posts stay far below this.
MAX_BLOCK_LEVEL = _md.options.maxNesting - 2
NESTING_MESSAGE = "Quotes and lists are nested too deeply to show: use at most 8 levels."


def nesting_too_deep(text: str) -> bool:
    """True when the Markdown nests blocks (quotes, lists) past what renders whole.
    Parsing is linear in the input, which the forms bound to BODY_MAX first."""
    return any(token.level >= MAX_BLOCK_LEVEL for token in _md.parse(text))


def validate_nesting(text: str) -> None:
    """Form validator: refuse (with a message, keeping the text) a body too deep to render."""
    from django.core.exceptions import ValidationError

    if nesting_too_deep(text):
        raise ValidationError(NESTING_MESSAGE, code="too_deep")


def sanitize_html(html: str, *, tags: set[str] = ALLOWED_TAGS) -> str:
    return nh3.clean(
        html,
        tags=tags,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str, *, mask_personal: bool = True, lite: bool = False) -> str:
    """Markdown source -> sanitized HTML. Masks personal data first unless told not to
    (the KB's staff-written articles may need to show a support address). `lite`: the
    comments' inline-only Markdown (module doc), sanitized to its inline tags."""
    if mask_personal:
        text = mask_personal_data(text)
    if lite:
        return sanitize_html(_lite.render(text), tags=LITE_TAGS)
    return sanitize_html(_md.render(text))


def plain_text(html: str, limit: int | None = None) -> str:
    """Rendered HTML -> one line of text (meta descriptions, email excerpts)."""
    text = nh3.clean(html, tags=set())
    text = re.sub(r"\s+", " ", text).strip()
    import html as html_lib

    text = html_lib.unescape(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text
