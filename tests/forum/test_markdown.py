"""forum.markdown: what survives, what never does, and personal-data masking."""

import pytest

from forum.markdown import mask_personal_data, plain_text, render_markdown


def test_headings_lists_emphasis_quotes_and_strikethrough_render():
    html = render_markdown(
        "# Title\n\n## Sub\n\n- one\n- two\n\n1. first\n\n*em* **strong** ~~gone~~\n\n> quoted"
    )
    for fragment in ("<h1>Title</h1>", "<h2>Sub</h2>", "<ul>", "<li>one</li>", "<ol>", "<em>em</em>",
                     "<strong>strong</strong>", "<s>gone</s>", "<blockquote>"):  # fmt: skip
        assert fragment in html


def test_inline_and_fenced_code_keep_their_text_escaped():
    html = render_markdown("Run `rm -rf <dir>`\n\n```python\nif a < b:\n    print('<b>')\n```")
    assert "<code>rm -rf &lt;dir&gt;</code>" in html
    assert "<pre><code>if a &lt; b:" in html
    assert "<b>" not in html


def test_tables_render_with_alignment_only():
    html = render_markdown("| a | b |\n|:-|-:|\n| 1 | 2 |")
    assert "<table>" in html and "<th" in html and "<td" in html
    assert 'style="text-align:right"' in html


def test_links_get_nofollow_ugc_noopener():
    html = render_markdown("[docs](https://example.com/help)")
    assert 'href="https://example.com/help"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_mailto_links_survive_but_the_address_is_masked():
    html = render_markdown("[write us](mailto:help@brightdesk.example)")
    assert "help@brightdesk.example" not in html


@pytest.mark.parametrize(
    "source",
    ["[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)",
     "[x](vbscript:msgbox(1))", "![x](javascript:alert(1))", "![x](data:image/svg+xml;base64,AAAA)"],
)  # fmt: skip
def test_dangerous_url_schemes_never_survive(source):
    html = render_markdown(source).lower()
    assert "javascript:" not in html.replace("[x](javascript:", "")  # text may stay; no attribute does
    assert 'href="javascript' not in html and 'src="javascript' not in html
    assert 'href="data:' not in html and 'src="data:' not in html and "vbscript:" not in html.split(">", 1)[0]


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown('<div onclick="x()">hi</div><script>alert(1)</script>')
    assert "<div" not in html and "<script" not in html
    assert "&lt;script&gt;" in html


def test_images_embed_only_over_https_from_allowed_hosts(settings):
    settings.IMAGE_HOSTS = ["cdn.example"]
    settings.SITE_URL = "https://help.onefix.example"
    assert 'src="https://cdn.example/a.png"' in render_markdown("![a](https://cdn.example/a.png)")
    assert 'src="https://help.onefix.example/static/a.png"' in render_markdown(
        "![a](https://help.onefix.example/static/a.png)"
    )
    for refused in ("http://cdn.example/a.png", "https://tracker.example/pixel.gif", "/questions/1/delete/"):
        assert "<img" not in render_markdown(f"![a]({refused})")
    assert "src=" not in render_markdown("![a](mailto:x@y.z)")


def test_by_default_no_third_party_image_is_embedded_and_it_becomes_a_link(settings):
    """Issue 11: images from any host (http: included) told that host who reads what."""
    settings.IMAGE_HOSTS = []
    html = render_markdown("See ![the error dialog](https://i.imgur.example/abc.png) here")
    assert "<img" not in html
    assert (
        '<a href="https://i.imgur.example/abc.png" rel="nofollow ugc noopener">the error dialog</a>' in html
    )
    assert "(image on i.imgur.example)" in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail me at jane.doe+bd@gmail.com please", "mail me at [email hidden] please"),
        ("call +44 20 7946 0958", "call [phone hidden]"),
        ("call +1 (555) 123-4567 today", "call [phone hidden] today"),
        ("(555) 123-4567", "[phone hidden]"),
        ("555-123-4567", "[phone hidden]"),
        ("020 7946 0958", "[phone hidden]"),
        ("my order #BD-2026-118842 failed", "my order [order number hidden] failed"),
        ("Order number: A1B2C3D4", "Order number: [order number hidden]"),
        ("invoice no. 99812", "invoice no. [order number hidden]"),
        ("My order number is BD-2026-118842.", "My order number is [order number hidden]."),
    ],
)
def test_personal_data_is_masked(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    ["version 4.2.1", "ip 192.168.100.200", "at 2024-05-01 12:30", "error 0x80070643", "in order to fix it",
     "order 12", "build 20240501", "error 1603"],
)  # fmt: skip
def test_technical_numbers_are_not_mistaken_for_personal_data(text):
    assert mask_personal_data(text) == text


def test_render_masks_by_default_and_can_be_told_not_to():
    assert "[email hidden]" in render_markdown("write to a@b.example")
    assert "a@b.example" in render_markdown("write to a@b.example", mask_personal=False)


def test_plain_text_strips_tags_and_shortens_at_a_word():
    assert plain_text(render_markdown("Hello **world** &amp; friends"), 14) == "Hello world…"


# --- lite: comments (inline Markdown only) ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["# Title", "## Sub", "- one\n- two", "1. first", "> quoted", "| a | b |\n|-|-|\n| 1 | 2 |",
     "```\ncode block\n```", "---", "<h1>raw</h1>"],
)  # fmt: skip
def test_lite_renders_no_blocks(text):
    html = render_markdown(text, lite=True)
    assert not [
        tag for tag in ("<h", "<ul", "<ol", "<li", "<blockquote", "<table", "<pre", "<hr") if tag in html
    ]


def test_lite_keeps_links_code_and_emphasis():
    html = render_markdown(
        "See [docs](https://example.com/help), `sync.log`, *em* **strong** ~~gone~~", lite=True
    )
    assert '<a href="https://example.com/help" rel="nofollow ugc noopener">docs</a>' in html
    for fragment in ("<code>sync.log</code>", "<em>em</em>", "<strong>strong</strong>", "<s>gone</s>"):
        assert fragment in html


def test_lite_turns_an_image_into_a_link_to_it():
    html = render_markdown("![the error](https://example.com/error.png)", lite=True)
    assert "<img" not in html
    assert '<a href="https://example.com/error.png" rel="nofollow ugc noopener">the error</a>' in html


def test_lite_keeps_a_typed_line_break_and_refuses_bad_schemes():
    html = render_markdown("Version 4.2.1\nWindows 11 [x](javascript:alert(1))", lite=True)
    assert "<br>" in html and "href" not in html  # the javascript: link stays text
