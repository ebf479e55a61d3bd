"""axe-core on every main page, as a visitor, a customer and staff (issue 12, item 12):
no serious or critical violation. The demo data gives the pages real content.

axe comes from npm (package.json, pinned in package-lock.json; never a CDN) and is added
to each page by Playwright in a context that bypasses the Content-Security-Policy (the
site's own policy would, rightly, refuse a script it did not serve)."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command

from demo.people import DEMO_PASSWORD
from forum.models import Thread
from kb.models import Article
from tests import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = ("serious", "critical")


def _pages(role: str) -> list[str]:
    thread = Thread.objects.filter(is_deleted=False, posts__isnull=False).order_by("pk").first()
    article = Article.objects.filter(status="published").order_by("pk").first()
    pages = [
        "/",
        "/questions/",
        "/questions/?tab=waiting",
        thread.get_absolute_url(),
        "/questions/ask/",
        "/kb/",
        article.get_absolute_url(),
        "/search/?q=sync",
        "/questions/tagged/sync/",
        "/questions/category/sync/",
        "/search/",
        f"/users/{thread.author_id}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/stats/",
        "/no/such/page/",
    ]
    if role != "visitor":
        pages += ["/questions/mine/", "/account/settings/", "/account/notifications/"]
    if role == "staff":
        pages += [
            "/desk/",
            "/desk/?show=all",
            "/desk/team/",
            "/desk/links/",
            "/desk/replies/",
            "/desk/insights/",
            "/desk/articles/",
            "/kb/unhelpful/",
            "/desk/repeats/",
        ]
    return pages


def _violations(page, url: str) -> list[str]:
    page.goto(url, wait_until="domcontentloaded")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=services.AXE)
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return [
        f"{url}: [{v['impact']}] {v['id']} — {v['help']} at {v['targets']}"
        for v in found
        if v["impact"] in SERIOUS
    ]


def _sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_placeholder("Email address").fill(email)
    page.get_by_placeholder("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.locator(".site-header .avatar").first.wait_for()


def test_main_pages_have_no_serious_accessibility_violations(browser, live_server, artifacts_dir):
    """One test (the demo loads once): each role, each page, at 1280 and 360 px."""
    services.require(services.axe_available(), f"needs axe-core at {services.AXE} (run `npm ci`)")
    started = time.monotonic()
    call_command("load_demo", verbosity=0)
    loaded = time.monotonic() - started
    problems, checked = [], 0
    for role, email in (("visitor", None), ("customer", "alice@example.com"), ("staff", "bob@example.com")):
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if email:
            _sign_in(page, email)
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            for url in _pages(role):
                problems += [f"{role} @{width}px {p}" for p in _violations(page, url)]
                checked += 1
        context.close()
    (artifacts_dir / "axe-summary.txt").write_text(  # the closing note's list of pages checked
        f"axe-core checked {checked} page views in {time.monotonic() - started - loaded:.0f} s "
        f"(demo loaded in {loaded:.0f} s): {len(problems)} serious or critical violations\n"
        + "\n".join(f"{role}: {', '.join(_pages(role))}" for role in ("visitor", "customer", "staff"))
        + "\n"
    )
    assert problems == [], "\n".join(problems)
