"""Security headers on every page (issue 11, item 7): a strict CSP, Permissions-Policy, COOP."""

from __future__ import annotations

import pytest

from forum import actions
from forum.models import Category

PAGES = [
    "/",
    "/questions/",
    "/questions/ask/",
    "/kb/",
    "/search/?q=sync",
    "/accounts/login/",
    "/accounts/signup/",
]


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *values = part.split()
        out[name] = values
    return out


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_a_strict_content_security_policy(client, db, path):
    response = client.get(path)
    csp = _directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    assert any(v.startswith("'nonce-") for v in csp["script-src"])  # base.html's scripts carry it
    for values in csp.values():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]


def test_the_scripts_on_the_page_carry_the_header_s_nonce(client, db):
    response = client.get("/")
    nonce = next(v for v in _directives(response["Content-Security-Policy"])["script-src"] if "nonce" in v)
    html = response.content.decode()
    value = nonce.removeprefix("'nonce-").removesuffix("'")
    assert html.count(f'nonce="{value}"') == html.count("<script")


def test_each_response_gets_a_new_nonce(client, db):
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]
    assert first != second


def test_images_are_allowed_only_from_this_site_and_image_hosts(client, db):
    csp = _directives(client.get("/")["Content-Security-Policy"])
    assert csp["img-src"] == ["'self'"]  # IMAGE_HOSTS is empty by default


@pytest.mark.parametrize("path", PAGES)
def test_permissions_policy_and_cross_origin_opener_policy(client, db, path):
    response = client.get(path)
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_markdown_table_alignment_is_the_one_inline_style_and_it_is_allowed_by_hash(alice, db):
    import base64
    import hashlib
    import re

    from django.conf import settings

    category = Category.objects.create(name="Sync", slug="sync", position=1)
    thread = actions.create_thread(
        alice, "A table in my question", "| a | b |\n|:-|-:|\n| 1 | 2 |\n", category
    )
    styles = set(re.findall(r'style="([^"]*)"', thread.body_html))
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src-attr"]
    assert styles
    for style in styles:
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed
