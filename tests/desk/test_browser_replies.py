"""Saved replies and duplicate decisions in Chromium (issue 10, items 8 and 4):

- staff insert a saved reply at the cursor in the answer box, without a reload and
  without losing what they typed; without JavaScript, "Insert" reloads the page with the
  reply in the box;
- "Same problem" on /desk/links/ replaces the row in place, without a navigation.

Screenshots (desk-replies-*, desk-thread-replies-*, desk-links-decided-* at 1280 and
360 px) land in the test's artifacts dir.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import User
from desk import actions
from duplicates.models import DuplicateLink
from forum import actions as forum
from forum.models import Category
from kb import actions as kb
from tests.browser import both_widths, sign_in
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(bob):
    category = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    asker = make_user("zoe@example.com", "Zoë Martin")
    thread = forum.create_thread(
        asker, "Notes stop syncing after the 4.2 update", "Since 4.2 nothing syncs from my laptop.", category
    )
    article = kb.create_article(
        bob,
        "Sync stalls after an update",
        "Skip the stalled upload.",
        "## Skip the stalled upload\n\nChoose **Skip** in *Settings → Sync*, then update to 4.2.1.",
        category,
    )
    kb.publish(article, bob)
    article.refresh_from_db()
    mia = make_user("mia@example.com", "Mia Laurent", User.Role.STAFF)
    actions.create_reply(
        bob,
        "Sync stalls after an update",
        f"Hi {{asker}},\n\nthis is a known issue in 4.2.0. The fix is in {{article:{article.slug}}}: "
        "choose **Skip**, then update.\n\nLet us know if it syncs again.",
    )
    actions.create_reply(
        mia,
        "Refund timing",
        "Hi {asker}, refunds reach your card within 5 working days of our confirmation email.",
        shared=True,
    )
    return {"thread": thread, "article": article, "category": category}


def test_staff_insert_a_saved_reply_at_the_cursor(browser, live_server, artifacts_dir, bob, world):
    page = sign_in(browser, live_server, "bob@example.com")
    page.goto("/desk/")
    page.get_by_role("link", name="Saved replies").click()
    page.get_by_role("heading", name="Saved replies", exact=True).wait_for()

    # A typo in a placeholder: refused, with the text kept.
    page.get_by_label("Title").fill("Thanks for waiting")
    page.get_by_label("Text").fill("Hi {name}, thanks for waiting.")
    page.get_by_role("button", name="Save reply").click()
    page.get_by_text("“{name}” is not a placeholder").wait_for()
    assert page.get_by_label("Text").input_value() == "Hi {name}, thanks for waiting."
    page.get_by_label("Text").fill("Hi {asker}, thanks for waiting.")
    page.get_by_label("Share with the team").check()
    page.get_by_role("button", name="Save reply").click()
    page.get_by_text("Saved “Thanks for waiting” (shared with the team)").wait_for()
    both_widths(page, artifacts_dir, "desk-replies")

    thread = world["thread"]
    page.goto(thread.get_absolute_url())
    page.evaluate("window.__noReload = true")
    box = page.get_by_role("textbox", name="Your answer")
    box.fill("Thanks for the details.\n\n")
    box.press("End")
    page.get_by_label("Insert into your answer").select_option(label="Sync stalls after an update")
    page.get_by_role("button", name="Insert", exact=True).click()
    value = box.input_value()
    assert value.startswith("Thanks for the details.\n\nHi Zoë Martin,\n\nthis is a known issue in 4.2.0.")
    assert f"[Sync stalls after an update]({settings.SITE_URL}/kb/{world['article'].slug}/)" in value
    assert page.evaluate("window.__noReload") is True
    expect(page.locator("[data-saved-replies-status]")).to_have_text(re.compile("Inserted “Sync stalls"))
    # The live preview follows the inserted text.
    page.locator("#body-preview a", has_text="Sync stalls after an update").wait_for()

    # The cursor stays after the inserted text: a second reply goes in after it, as a
    # paragraph of its own.
    page.get_by_label("Insert into your answer").select_option(label="Refund timing")
    page.get_by_role("button", name="Insert", exact=True).click()
    assert box.input_value().endswith("Let us know if it syncs again.\n\nHi Zoë Martin, refunds reach your "
                                      "card within 5 working days of our confirmation email.")  # fmt: skip
    # In the middle of a line, the reply is kept apart from the words around it.
    box.fill("Hello, and thanks.")
    box.evaluate("b => b.setSelectionRange(6, 6)")
    page.get_by_label("Insert into your answer").select_option(label="Refund timing")
    page.get_by_role("button", name="Insert", exact=True).click()
    assert box.input_value() == (
        "Hello,\n\nHi Zoë Martin, refunds reach your card within 5 working days of our confirmation email."
        "\n\n and thanks."
    )
    box.fill("Thanks for the details.\n\n")
    box.press("End")
    page.get_by_label("Insert into your answer").select_option(label="Sync stalls after an update")
    page.get_by_role("button", name="Insert", exact=True).click()
    page.locator("#staff-desk").scroll_into_view_if_needed()
    both_widths(page, artifacts_dir, "desk-thread-replies")
    page.context.close()


def test_without_javascript_insert_prefills_the_answer_box(browser, live_server, bob, world):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_placeholder("Email address").fill("bob@example.com")
    page.get_by_placeholder("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.locator(".site-header .account-name").wait_for()
    page.goto(world["thread"].get_absolute_url())
    page.get_by_label("Insert into your answer").select_option(label="Refund timing")
    page.get_by_role("button", name="Insert", exact=True).click()
    page.wait_for_url(re.compile(r"\?reply=\d+#answer$"))
    box = page.get_by_role("textbox", name="Your answer")
    assert box.input_value() == (
        "Hi Zoë Martin, refunds reach your card within 5 working days of our confirmation email."
    )
    page.get_by_text("“Refund timing” is in the answer box below").wait_for()
    context.close()


def test_same_problem_replaces_the_row_without_a_navigation(browser, live_server, artifacts_dir, bob, world):
    category = world["category"]
    pairs = []
    for n, (left, right) in enumerate(
        [
            ("Export to PDF crashes on big notebooks", "PDF export quits with 300 pages"),
            ("Invoice shows the wrong VAT number", "VAT number on my invoice is wrong"),
            ("Dark mode is too dark on Windows", "Dark theme contrast too low"),  # left pending
        ]
    ):
        a = forum.create_thread(
            make_user(f"ann{n}@example.com", "Ann"), left, f"{left}. Since 4.2.", category
        )
        b = forum.create_thread(make_user(f"ben{n}@example.com", "Ben"), right, f"{right}. Help.", category)
        low, high = sorted([a.pk, b.pk])
        pairs.append(DuplicateLink.objects.create(low_id=low, high_id=high, score=9.0, method="scorer-v1"))

    page = sign_in(browser, live_server, "bob@example.com")
    page.goto("/desk/links/")
    page.evaluate("window.__noReload = true")
    url = page.url
    row = page.locator(f"#link-{pairs[0].pk}")
    row.get_by_role("button", name="Same problem").click()
    expect(row).to_contain_text("Confirmed — now reaching 2 people")
    assert page.evaluate("window.__noReload") is True and page.url == url
    pairs[0].refresh_from_db()
    assert pairs[0].state == DuplicateLink.State.CONFIRMED
    other = page.locator(f"#link-{pairs[1].pk}")
    other.get_by_role("button", name="Not the same").click()
    expect(other).to_contain_text("Marked as not the same")
    assert page.evaluate("window.__noReload") is True
    both_widths(page, artifacts_dir, "desk-links-decided")
    page.context.close()
