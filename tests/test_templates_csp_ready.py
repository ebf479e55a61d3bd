"""Every template is ready for a strict Content-Security-Policy and links by URL name.

A strict CSP (script-src 'self', no 'unsafe-inline') blocks inline <script> blocks,
on*= event attributes and javascript: URLs, so behaviour lives in static/js/ and
templates only mark elements with data-* attributes. Links go through {% url %}
so that moving a URL never leaves a dead link behind. Inline style attributes are
also refused (style-src), except in emails: mail clients drop <style>, so email
templates must inline theirs and are never served under the site's CSP.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
EMAILS = TEMPLATES / "emails"

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)
# href="/kb/", action='/search/', hx-get="/questions/…": a path written out by hand.
HARD_CODED_PATH = re.compile(
    r"""\s(?:href|action|src|formaction|hx-get|hx-post|hx-put|hx-patch|hx-delete)\s*=\s*["']/""",
    re.IGNORECASE,
)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def problems(text: str, *, email: bool = False) -> list[str]:
    """What in one template would break under a strict CSP or hard-codes a URL, by line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for tag in SCRIPT_TAG.findall(line):
            if not re.search(r"\ssrc\s*=", tag, re.IGNORECASE):
                found.append(f"line {number}: <script> without src (move the code to static/js/): {tag}")
        for rule, message in (
            (EVENT_ATTRIBUTE, "on*= event attribute (use a data-* hook in static/js/onefix.js)"),
            (JAVASCRIPT_URL, "javascript: URL"),
            (HARD_CODED_PATH, "hard-coded internal path (use {% url %})"),
        ):
            if rule.search(line):
                found.append(f"line {number}: {message}: {line.strip()}")
        if "{#" in line and "#}" not in line[line.index("{#") :]:
            found.append(
                f"line {number}: a {{# comment #}} must end on its line (use {{% comment %}}): {line.strip()}"
            )
        if not email and STYLE_ATTRIBUTE.search(line):
            found.append(
                f"line {number}: inline style attribute (use a class in static/css/): {line.strip()}"
            )
    return found


TEMPLATE_FILES = sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt", ".xml"})


def test_there_are_templates_to_check():
    assert any(p.name == "base.html" for p in TEMPLATE_FILES)


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_is_csp_ready_and_links_by_url_name(path: Path):
    found = problems(path.read_text(encoding="utf-8"), email=EMAILS in path.parents)
    assert not found, f"{path.relative_to(TEMPLATES)}:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "bad",
    [
        "<script>alert(1)</script>",
        '<script type="module">import "x";</script>',
        '<select onchange="this.form.submit()">',
        "<body onload=start()>",
        '<a href="javascript:void(0)">x</a>',
        '<a href="/kb/">Knowledge base</a>',
        "<form action='/search/' method=get>",
        '<div hx-get="/questions/tags/">',
        '<p style="color: red">',
        "{# a comment that goes on\n   to the next line #}",  # Django prints it as text
    ],
)
def test_the_checker_refuses_each_kind_of_problem(bad: str):
    assert problems(bad)


@pytest.mark.parametrize(
    "good",
    [
        """<script src="{% static 'js/onefix.js' %}" defer></script>""",
        """<a href="{% url 'kb:home' %}">Knowledge base</a>""",
        '<a href="{{ thread.get_absolute_url }}">x</a>',
        '<a href="?tab=solved">Solved</a>',
        '<a href="#post-3">Link</a>',
        '<select data-autosubmit name="category">',
        "<p>Based on an answer by Bob</p>",
    ],
)
def test_the_checker_accepts_what_templates_should_do(good: str):
    assert not problems(good)


def test_emails_may_inline_styles_but_nothing_else():
    assert not problems('<p style="margin:0">Hi</p>', email=True)
    assert problems('<a href="/questions/" style="color:#000">x</a>', email=True)
