"""Where are my questions? in Chromium (issue 12, item 5): from the account menu to "Your
questions", the answers tab, and the public profile's lists. Screenshots mine-*,
profile-lists-* at 1280 and 360 px."""

from __future__ import annotations

import pytest

from forum import actions
from tests.browser import both_widths, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_finds_their_questions_answers_and_follows(browser, live_server, artifacts_dir, alice, dave, bob,
                                                             category):  # fmt: skip
    asked = actions.create_thread(
        alice, "PDF export fails on macOS 15", "Export to PDF closes the app.", category
    )
    actions.mark_official(actions.add_answer(asked, bob, "Update to 4.3.1: it fixes PDF export."), bob)
    other = actions.create_thread(
        dave, "Sync conflicts every morning", "Conflicted copies appear daily.", category
    )
    actions.me_too(alice, other)
    actions.add_answer(other, alice, "Closing the second sync client stopped it for me.")

    page = sign_in(browser, live_server, alice.email)
    page.locator(".site-header summary").click()
    page.get_by_role("link", name="Your questions").click()
    page.get_by_role("heading", name="Your questions and answers").wait_for()
    page.get_by_role("link", name="PDF export fails on macOS 15").wait_for()
    both_widths(page, artifacts_dir, "mine-questions")
    page.get_by_role("link", name="Answers", exact=True).click()
    page.get_by_role("link", name="Sync conflicts every morning").wait_for()
    page.get_by_role("link", name="Following", exact=True).click()
    page.get_by_role("link", name="Sync conflicts every morning").wait_for()
    both_widths(page, artifacts_dir, "mine-following")

    page.goto(f"/users/{alice.pk}/")
    page.get_by_role("link", name="PDF export fails on macOS 15").wait_for()
    assert page.get_by_role("link", name="Following", exact=True).count() == 0
    both_widths(page, artifacts_dir, "profile-lists")
