"""At least 50 known XSS vectors, posted as question and answer bodies through the
pages, must come out with no script, no event handler, no javascript:/data: URL."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from forum.markdown import render_markdown
from forum.models import Post, Thread

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(\'xss\')">',
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg/onload=alert('XSS')>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert('XSS')>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="  javascript:alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href="data:text/html,<script>alert(1)</script>">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](  javascript:alert(1)  )",
    "[click](<javascript:alert(1)>)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![img" onerror="alert(1)](https://example.com/a.png)',
    '[a](https://example.com "title" onmouseover="alert(1)")',
    '[a](https://example.com" onmouseover="alert(1))',
    "<<script>alert(1)//<</script>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>@import 'https://evil.example/x.css';</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<img src=x onerror=alert(1)//",
    '<a href="https://example.com" onclick="alert(1)">ok</a>',
    '<p title="</p><script>alert(1)</script>">',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "`<script>alert(1)</script>` and\n\n```\n<script>alert(1)</script>\n```",
    "> <script>alert(1)</script>\n\n- <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "**<img src=x onerror=alert(1)>**",
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<img src="https://example.com/a.png" onload="alert(1)">',
]

ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "pre", "code", "blockquote",
                "em", "strong", "del", "s", "a", "img", "table", "thead", "tbody", "tr", "th", "td"}  # fmt: skip
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


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
            # Browsers ignore ASCII whitespace and control characters inside a scheme.
            squashed = "".join(ch for ch in (value or "") if ord(ch) > 32).lower()
            if squashed.startswith(BAD_SCHEMES):
                found.append(f"{name}={value!r} on <{tag}>")
    return found


def assert_harmless(html: str) -> None:
    assert problems(html) == [], html


@pytest.mark.parametrize("vector", VECTORS)
def test_renderer_output_is_harmless(vector):
    assert_harmless(render_markdown(vector))


def test_vectors_posted_as_questions_and_answers_are_harmless_on_the_page(
    alice_client, dave_client, category
):
    for i, vector in enumerate(VECTORS):
        body = f"Vector {i}: {vector}"
        response = alice_client.post(
            reverse("forum:ask"),
            {"title": f"Testing input number {i}", "body": body, "category": category.pk},
        )
        assert response.status_code == 302, (vector, response.content[:500])
        thread = Thread.objects.latest("id")
        response = dave_client.post(reverse("forum:answer", args=[thread.pk]), {"body": body})
        assert response.status_code == 302, vector
        post = Post.objects.latest("id")
        assert_harmless(thread.body_html)
        assert_harmless(post.body_html)
        page = alice_client.get(thread.get_absolute_url()).content.decode()
        main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        # The whole page body around the user's text: forms, buttons, htmx attributes,
        # but no script, handler or dangerous URL anywhere in <main>.
        assert problems(main, allowed_tags=None) == [], vector


@pytest.mark.parametrize(
    "html",
    ['<img src=x onerror="alert(1)">', "<script>x</script>", '<a href=" java\tscript:alert(1)">x</a>',
     '<img src="data:image/png;base64,AA">', "<iframe></iframe>"],
)  # fmt: skip
def test_the_checker_itself_catches_unsafe_html(html):
    assert problems(html) != []
