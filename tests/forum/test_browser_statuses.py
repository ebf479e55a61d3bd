"""Statuses that tell the truth, in Chromium (issue 12, item 3): staff mark an answer
official and the question says "Answered by staff", not "Solved"; its asker sees "Did
this fix it?", clicks Yes, and it is solved; the page at 1280 and 360 px."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum import actions
from forum.models import Category, Thread
from tests.browser import both_widths, sign_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _asked_and_answered(alice, bob):
    category = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    asked = timezone.now() - timedelta(hours=6)
    thread = actions.create_thread(
        alice,
        "Notes stop syncing after updating to 4.2",
        "Since the **4.2** update my notes no longer sync from my laptop to my phone. "
        "The sync icon spins and then says *Sync paused*.",
        category,
        ["sync", "windows"],
        created_at=asked,
    )
    actions.me_too(make_user("erin@example.com", "Erin Walsh"), thread)
    actions.add_answer(
        thread,
        bob,
        "Thanks for the clear report. This is a known problem in 4.2.0: update to **4.2.1** "
        "(*Settings → About → Check for updates*), then sign out and back in once.",
        created_at=asked + timedelta(hours=2),
    )
    return thread


def test_official_answer_asks_the_asker_who_says_yes_and_it_is_solved(
    browser, live_server, artifacts_dir, alice, bob
):
    thread = _asked_and_answered(alice, bob)
    errors: list[str] = []

    staff = sign_in(browser, live_server, "bob@example.com")
    staff.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    staff.goto(thread.get_absolute_url())
    staff.get_by_role("button", name="★ Mark official").click()
    staff.get_by_text("Marked as the official answer").wait_for()
    status = staff.locator(".status-line .badge-status")
    expect(status).to_have_text("Answered by staff")  # not "Solved": the asker has not said
    expect(staff.locator("#did-it-fix")).to_contain_text("has not said yet")
    expect(staff.get_by_test_id("mark-solved")).to_be_visible()  # staff's own, separate button
    assert Thread.objects.get().status == Thread.Status.STAFF_ANSWERED
    both_widths(staff, artifacts_dir, "status-answered-by-staff-staff-view")

    asker = sign_in(browser, live_server, "alice@example.com")
    asker.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    asker.goto(thread.get_absolute_url())
    expect(asker.locator(".status-line .badge-status")).to_have_text("Answered by staff")
    banner = asker.locator("#did-it-fix")
    expect(banner.get_by_text("Did this fix it?")).to_be_visible()
    expect(banner).to_contain_text("within 7 days")
    # Her list says the same word as her question's page.
    asker.goto("/questions/mine/")
    expect(asker.locator(".thread-row .badge-status").first).to_have_text("Answered by staff")
    both_widths(asker, artifacts_dir, "status-your-questions")
    asker.goto(thread.get_absolute_url())
    both_widths(asker, artifacts_dir, "status-did-it-fix-asker")

    banner.get_by_role("button", name=re.compile(r"^Yes, it.s fixed$")).click()
    asker.get_by_text("Glad it's fixed!").wait_for()
    expect(asker.locator(".status-line .badge-status")).to_have_text("✓ Solved")
    expect(asker.locator("#did-it-fix")).to_have_count(0)
    expect(asker.locator(".answer-accepted .badge-accepted")).to_have_text("✓ Accepted solution")
    thread = Thread.objects.get()
    assert thread.status == Thread.Status.SOLVED and thread.accepted_post_id is not None
    asker.goto("/questions/?tab=solved")
    expect(asker.locator(".thread-row", has_text=thread.title).locator(".badge-status")).to_have_text(
        "✓ Solved"
    )
    asker.goto(thread.get_absolute_url())
    both_widths(asker, artifacts_dir, "status-solved-asker")
    assert errors == []
