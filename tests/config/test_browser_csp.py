"""In Chromium, the strict Content-Security-Policy blocks nothing the pages need (issue 11).

A page that broke under the policy would show it as a `securitypolicyviolation` event
or a console error; this journey visits the main pages, signed out and signed in,
types into the ask form (htmx suggestions and preview) and expects neither.
"""

from __future__ import annotations

import pytest

from forum import actions
from forum.models import Category
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """() => { window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def _watch(page, console: list[str]) -> None:
    page.add_init_script(WATCH.removeprefix("() => {").removesuffix("}"))
    page.on(
        "console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None
    )


def test_pages_run_under_the_policy_without_a_violation(browser, live_server, alice, bob):
    category = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    thread = actions.create_thread(
        alice,
        "Notes stop syncing after the update",
        "| a | b |\n|:-|-:|\n| 1 | 2 |\n\nNothing syncs.",
        category,
    )
    actions.add_answer(thread, bob, "Choose **Skip** in Settings, then update.")
    page = sign_in(browser, live_server, "alice@example.com")
    console: list[str] = []
    _watch(page, console)
    for path in ["/", "/questions/", thread.get_absolute_url(), "/kb/", "/search/?q=sync"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert _violations(page) == [], path
    page.goto("/questions/ask/")
    page.locator("#id_title").fill("Notes stop syncing after the update")
    page.locator("#id_body").fill("Nothing syncs from my laptop since **4.2**.")
    page.locator("#body-preview strong").wait_for()  # htmx preview ran under the policy
    assert _violations(page) == []
    assert console == []
