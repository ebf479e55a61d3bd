"""The forum journey in Chromium: ask, staff answer made official, me-too without a
reload, accept, solved — and the followers' emails."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from forum.models import Category, Thread
from tests.browser import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ask_answer_official_me_too_accept_solved(
    browser, live_server, artifacts_dir, alice, bob, dave, eager_celery
):
    Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    Category.objects.create(name="Billing", slug="billing", position=2)

    # A customer asks, with a preview of the Markdown.
    asker = sign_in(browser, live_server, "alice@example.com")
    asker.goto("/questions/ask/")
    asker.get_by_label("Title").fill("Notes stop syncing after updating to 4.2")
    asker.get_by_label("Details").fill(
        "Since the **4.2** update nothing syncs.\n\n- Windows 11\n- Android 14"
    )
    asker.get_by_role("button", name="Preview").click()
    asker.locator("#body-preview strong", has_text="4.2").wait_for()
    asker.get_by_label("Product area").select_option(label="Sync & accounts")
    asker.locator("#id_tags").fill("Windows, Sync")
    shot(asker, artifacts_dir / "1-ask-1280.png")
    asker.get_by_role("button", name="Post your question").click()
    asker.wait_for_url(re.compile(r"/questions/\d+/notes-stop-syncing-after-updating-to-42/$"))
    thread = Thread.objects.get()
    assert sorted(thread.tags.names()) == ["sync", "windows"]

    # Staff answers and marks it official.
    staff = sign_in(browser, live_server, "bob@example.com")
    staff.goto(thread.get_absolute_url())
    staff.get_by_role("textbox", name="Your answer").fill(
        "Known issue in 4.2.0: skip the stalled upload in *Settings → Sync*."
    )
    staff.get_by_role("button", name="Post your answer").click()
    staff.get_by_role("button", name="★ Mark official").click()
    staff.get_by_text("Marked as the official answer").wait_for()

    # The asker sees it pinned, marked official, with the Staff badge.
    asker.goto(thread.get_absolute_url())
    pinned = asker.locator(".answer-pinned").first
    assert "★ Official answer" in pinned.text_content()
    assert "Staff" in pinned.locator(".badge-staff").text_content()
    assert "Known issue in 4.2.0" in pinned.text_content()
    shot(asker, artifacts_dir / "2-official-pinned-1280.png")

    # Another customer says "me too": the count rises without a reload.
    other = sign_in(browser, live_server, "dave@example.com")
    other.goto(thread.get_absolute_url())
    other.evaluate("window.__noReload = true")
    count = other.get_by_test_id("me-too-count")
    assert count.text_content().strip() == "0"
    other.get_by_role("button", name=re.compile("I have this problem too")).click()
    # A locator wait, not wait_for_function: a string predicate is eval'd, which the CSP forbids.
    expect(count).to_have_text(re.compile(r"^\s*1\s*$"))
    assert other.evaluate("window.__noReload") is True
    # The sidebar follows, out of band, in the one phrasing of people affected.
    expect(other.locator("#fact-affected")).to_have_text(
        re.compile(r"^\s*2 people affected\s+on this question\s*$")
    )
    assert other.get_by_role("button", name="Following").is_visible()
    shot(other, artifacts_dir / "3-me-too-1280.png")

    # The asker accepts the answer; the thread shows solved.
    asker.goto(thread.get_absolute_url())
    asker.get_by_role("button", name="✓ Accept as solution").click()
    asker.get_by_text("Marked as the solution").wait_for()
    assert asker.locator(".status-line").text_content().strip() == "✓ Solved"
    assert "✓ Accepted solution" in asker.locator(".answer-pinned").first.text_content()
    shot(asker, artifacts_dir / "4-solved-1280.png")
    asker.set_viewport_size({"width": 360, "height": 800})
    shot(asker, artifacts_dir / "4-solved-360.png")
    thread.refresh_from_db()
    assert thread.status == "solved" and thread.me_too_count == 1

    # Followers' email: the asker about the answer and the official mark; the
    # me-too voter (a follower since) about the solution; the staff answerer that
    # their answer was accepted; nobody about their own action.
    received = sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox)
    assert received == [
        ("alice@example.com", "New answer"),
        ("alice@example.com", "Official answer"),
        ("bob@example.com", "Your answer was accepted"),
        ("dave@example.com", "Solved"),
    ]
    for context in {p.context for p in (asker, staff, other)}:
        context.close()


def test_a_newcomer_sees_a_living_forum(page, live_server, artifacts_dir):
    """What `make run` shows first: the demo forum (screenshots for the closing note)."""
    call_command("load_demo")
    page.goto("/questions/")
    assert page.locator(".thread-row").count() == 20
    shot(page, artifacts_dir / "questions-1280.png")
    page.get_by_role("link", name="Notes stop syncing after updating to 4.2 on Windows").click()
    page.locator(".answer-accepted").wait_for()
    shot(page, artifacts_dir / "thread-1280.png")
    page.set_viewport_size({"width": 360, "height": 800})
    shot(page, artifacts_dir / "thread-360.png")
    page.goto("/questions/?tab=affected")
    shot(page, artifacts_dir / "questions-affected-360.png")
