"""Bad input in Chromium (issue 12, item 9): an empty form puts the cursor on the first
field with one message each; a long paste is kept whole and the counter says it is over;
the tags say how they will be saved. Screenshots ask-errors-*, ask-limits-*."""

from __future__ import annotations

import pytest

from tests.browser import both_widths, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ask_form_says_what_is_wrong_before_and_after_posting(
    browser, live_server, artifacts_dir, alice, category
):
    page = sign_in(browser, live_server, alice.email)
    page.goto("/questions/ask/")
    page.get_by_role("button", name="Post your question").click()
    page.locator("#id_title_error").wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'id_title'")
    assert page.locator("p.error").count() == 3
    both_widths(page, artifacts_dir, "ask-errors")

    long_text = "Sync fails with error 0x80070005 on every start. " * 410  # 20,090 characters
    page.locator("#id_body").fill(long_text)
    counter = page.locator("#id_body_counter")
    assert "over the limit" in counter.inner_text()
    assert page.locator("#id_body").input_value() == long_text  # nothing cut
    page.locator("#id_tags").fill("iOS 17, Sync, sync")
    page.locator(".tags-saved-as").wait_for()
    assert page.locator(".tags-saved-as .tag").all_inner_texts() == ["ios-17", "sync"]
    page.locator("#id_title").fill("Sync stops with error 0x80070005")
    page.get_by_role("button", name="Post your question").click()
    page.locator("#id_body_error").wait_for()
    assert "characters long; the limit is 20,000" in page.locator("#id_body_error").inner_text()
    assert page.locator("#id_body").input_value().strip() == long_text.strip()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'id_body'")
    both_widths(page, artifacts_dir, "ask-limits")
