"""The error pages in Chromium at 1280 and 360 px (error-404-*, error-403-*,
error-removed-* in the test's artifacts dir): the site's header, what happened, what to
do next, nothing wider than the phone."""

from __future__ import annotations

import pytest

from forum import actions
from tests.browser import both_widths, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_error_pages_say_what_to_do_next(browser, live_server, artifacts_dir, alice, dave, carol, thread):
    page = sign_in(browser, live_server, dave.email)
    page.goto("/questions/987654/gone/")
    page.get_by_role("heading", name="This page isn't here").wait_for()
    page.get_by_role("link", name="Search for a fix").wait_for()
    both_widths(page, artifacts_dir, "error-404")

    page.goto(f"/questions/{thread.pk}/edit/")
    page.get_by_role("heading", name="You can't open this page").wait_for()
    page.get_by_text("You can't edit this question.").wait_for()
    page.set_viewport_size({"width": 360, "height": 800})
    assert _fits(page)
    both_widths(page, artifacts_dir, "error-403")

    actions.delete_thread(thread, carol, reason="Posted twice")
    asker = sign_in(browser, live_server, alice.email)
    asker.goto(thread.get_absolute_url())
    asker.get_by_role("heading", name="Your question was removed").wait_for()
    asker.get_by_role("link", name="Ask a new question").click()
    asker.wait_for_url("**/questions/ask/")
    asker.go_back()
    both_widths(asker, artifacts_dir, "error-removed")
