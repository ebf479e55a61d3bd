"""Every payload in tests/xss_payloads.py comes out of the Markdown renderer with no
script, no event handler, no htmx attribute and no javascript:/vbscript:/data: URL, and
a sample posted through the ask and answer forms leaves none on the page either.
The browser test (test_browser_xss.py) renders them all in Chromium."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from forum.markdown import render_markdown
from forum.models import COMMENT_MAX, Comment, Post, Thread
from tests.xss_payloads import BREAKOUTS, PAYLOADS, POLYGLOTS, fitting

# Posting through the forms costs a request each: the context breakers and a stride
# through the rest (the renderer test below takes every payload).
POSTED = list(dict.fromkeys([*BREAKOUTS, *POLYGLOTS, *PAYLOADS[::15]]))

ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "pre", "code", "blockquote",
                "em", "strong", "del", "s", "a", "img", "table", "thead", "tbody", "tr", "th", "td"}  # fmt: skip
# What the sanitizer may leave on each tag; rel is added by nh3 itself.
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "img": {"src", "alt", "title"}, "ol": {"start"},
                      "th": {"style"}, "td": {"style"}}  # fmt: skip
ALIGN_STYLES = {"text-align:left", "text-align:right", "text-align:center"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "livescript:")


class Elements(HTMLParser):
    """Collects every real element and attribute the browser would build (text is not markup)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def problems(html: str, *, allowed_tags=ALLOWED_TAGS) -> list[str]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.elements:
        if allowed_tags is not None and tag not in allowed_tags:
            found.append(f"tag <{tag}>")
        if tag in ("script", "iframe", "object", "embed", "base"):
            found.append(f"dangerous <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"handler {name} on <{tag}>")
            if allowed_tags is not None and name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                found.append(f"attribute {name} on <{tag}>")
            if allowed_tags is not None and name == "style" and value not in ALIGN_STYLES:
                found.append(f"style={value!r} on <{tag}>")
            # htmx acts on these wherever they are, with the reader's session and CSRF token.
            if allowed_tags is not None and (name.startswith(("hx-", "data-hx-")) or name == "_"):
                found.append(f"htmx {name} on <{tag}>")
            # Browsers ignore ASCII whitespace and control characters inside a scheme.
            squashed = "".join(ch for ch in (value or "") if ord(ch) > 32).lower()
            if squashed.startswith(BAD_SCHEMES):
                found.append(f"{name}={value!r} on <{tag}>")
    return found


def assert_harmless(html: str) -> None:
    assert problems(html) == [], html


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"p{i:03d}" for i in range(len(PAYLOADS))])
def test_renderer_output_is_harmless(payload):
    assert_harmless(render_markdown(payload))


def test_all_payloads_in_one_document_are_harmless():
    """Joined, one payload's unclosed quote or comment meets the next one's markup."""
    assert_harmless(render_markdown("\n".join(PAYLOADS)))
    assert_harmless(render_markdown(" ".join(PAYLOADS)))


def test_payloads_posted_as_questions_and_answers_are_harmless_on_the_page(
    alice_client, dave_client, category
):
    for i, vector in enumerate(POSTED):
        body = f"Vector {i}: {vector}"
        response = alice_client.post(
            reverse("forum:ask"),
            {"title": f"Input {i:03d} {vector}"[:150], "body": body, "category": category.pk, "tags": vector},
        )
        assert response.status_code == 302, (vector, response.content[:500])
        thread = Thread.objects.latest("id")
        response = dave_client.post(reverse("forum:answer", args=[thread.pk]), {"body": body})
        assert response.status_code == 302, vector
        post = Post.objects.latest("id")
        assert_harmless(thread.body_html)
        assert_harmless(post.body_html)
        page = alice_client.get(thread.get_absolute_url()).content.decode()
        # The whole page around the user's text (title in <title>, meta and JSON-LD; forms,
        # buttons, htmx attributes): no script but ours, no handler, no dangerous URL.
        # Our own <script> elements carry the nonce (or are JSON-LD); any other is injected.
        found = [f for f in problems(page, allowed_tags=None) if f != "dangerous <script>"]
        assert found == [], vector
        scripts = re.findall(r"<script\b[^>]*>", page)
        assert all("nonce=" in s or "application/ld+json" in s for s in scripts), (vector, scripts)


# Comments: inline Markdown only (render_markdown(lite=True)), sanitized by the same nh3
# call with a smaller allow-list.
LITE_TAGS = {"p", "br", "code", "em", "strong", "del", "s", "a"}


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"p{i:03d}" for i in range(len(PAYLOADS))])
def test_lite_renderer_output_is_harmless_and_inline(payload):
    assert problems(render_markdown(payload, lite=True), allowed_tags=LITE_TAGS) == []


def test_payloads_posted_as_comments_are_harmless_on_the_page(alice, alice_client, dave_client, category):
    from forum import actions

    thread = actions.create_thread(alice, "Comments under attack", "A question to comment on.", category)
    answer = actions.add_answer(thread, alice, "An answer to comment under.")
    for i, vector in enumerate(fitting(COMMENT_MAX - 20, every=15)):
        data = {"comment": f"Vector {i}: {vector}"}
        if i % 2:
            data["post"] = answer.pk
        response = dave_client.post(reverse("forum:comment", args=[thread.pk]), data)
        assert response.status_code == 302, (vector, response.content[:500])
        assert problems(Comment.objects.latest("id").body_html, allowed_tags=LITE_TAGS) == [], vector
    page = alice_client.get(thread.get_absolute_url()).content.decode()
    found = [f for f in problems(page, allowed_tags=None) if f != "dangerous <script>"]
    assert found == []
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert all("nonce=" in s or "application/ld+json" in s for s in scripts), scripts


@pytest.mark.parametrize(
    "html",
    ['<img src=x onerror="alert(1)">', "<script>x</script>", '<a href=" java\tscript:alert(1)">x</a>',
     '<img src="data:image/png;base64,AA">', "<iframe></iframe>"],
)  # fmt: skip
def test_the_checker_itself_catches_unsafe_html(html):
    assert problems(html) != []
