"""Comments in Chromium (issue 12, item 2): staff ask "Which version are you on?" under the
question, the asker replies under it, and the question is waiting for staff again; the
page at 1280 and 360 px."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum import actions
from forum.models import Category, Comment, Thread
from tests.browser import both_widths, sign_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _a_question_with_some_talk(alice, dave):
    category = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    asked = timezone.now() - timedelta(hours=5)
    thread = actions.create_thread(
        alice,
        "Notes stop syncing after updating to 4.2",
        "Since the **4.2** update my notes no longer sync from my laptop to my phone. "
        "The sync icon spins and then says *Sync paused*.",
        category,
        ["sync", "windows"],
        created_at=asked,
    )
    answer = actions.add_answer(
        thread,
        dave,
        "Same here. Signing out and back in made it sync once, then it stopped again.",
        created_at=asked + timedelta(hours=1),
    )
    erin = make_user("erin@example.com", "Erin Walsh")
    actions.me_too(erin, thread)
    actions.add_comment(
        thread, erin, "Same on my Pixel 7, since this morning.", created_at=asked + timedelta(hours=2)
    )
    actions.add_comment(
        thread,
        alice,
        "Tried that too: it synced two notes and then paused again.",
        post=answer,
        created_at=asked + timedelta(hours=3),
    )
    return thread


def test_staff_ask_for_the_version_the_asker_replies_and_it_waits_again(
    browser, live_server, artifacts_dir, alice, bob, dave
):
    thread = _a_question_with_some_talk(alice, dave)
    assert Thread.objects.get().waiting_since is not None

    staff = sign_in(browser, live_server, "bob@example.com")
    errors = []
    staff.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    staff.goto(thread.get_absolute_url())
    expect(staff.locator("#waiting-for-staff")).to_be_visible()
    question = staff.locator("#comments-question")
    question.get_by_text("Add a comment").click()
    box = question.get_by_role("textbox", name="Comment on the question")
    expect(box).to_be_focused()  # opening the box puts the cursor in it (static/js/onefix.js)
    box.fill("Which version are you on? You can see it in *Settings → About*.")
    question.get_by_role("button", name="Post comment").click()
    staff.get_by_text("Your comment is posted.").wait_for()
    expect(staff.locator("#waiting-for-staff")).to_have_count(0)  # the team replied
    assert Thread.objects.get().waiting_since is None

    asker = sign_in(browser, live_server, "alice@example.com")
    asker.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    asker.goto(thread.get_absolute_url())
    asked = asker.locator("#comments-question .comment").last
    expect(asked).to_contain_text("Which version are you on?")
    expect(asked.locator(".badge-staff")).to_have_text("Staff")
    expect(asked.locator("em")).to_have_text("Settings → About")
    question = asker.locator("#comments-question")
    question.get_by_text("Add a comment").click()
    question.get_by_role("textbox", name="Comment on the question").fill(
        "4.2.1 on Windows 11; the phone has 4.1.3."
    )
    question.get_by_role("button", name="Post comment").click()
    asker.get_by_text("Your comment is posted.").wait_for()
    reply = Comment.objects.latest("id")
    assert asker.url.endswith(f"#comment-{reply.pk}")
    expect(asker.locator("#waiting-for-staff")).to_be_visible()
    expect(asker.locator("#waiting-for-staff")).to_contain_text(re.compile(r"Waiting for staff · \d+ min"))
    thread.refresh_from_db()
    assert thread.waiting_since == reply.created_at
    assert (thread.answer_count, thread.status) == (1, "waiting")  # comments are not answers
    both_widths(asker, artifacts_dir, "thread-with-comments")

    # An answer's comment box works the same, and the staff member sees it with its tools.
    staff.goto(thread.get_absolute_url())
    under = staff.locator(".answer .comments").first
    under.get_by_text("Add a comment").click()
    under.get_by_role("textbox", name=re.compile(r"Comment on Dave.s answer")).fill(
        "Dave, which version is on your laptop?"
    )
    under.get_by_role("button", name="Post comment").click()
    staff.get_by_text("Your comment is posted.").wait_for()
    expect(staff.locator(".answer .comment")).to_have_count(2)
    both_widths(staff, artifacts_dir, "thread-with-comments-staff")
    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == []
    for context in {staff.context, asker.context}:
        context.close()


def test_a_long_comment_is_refused_in_place_with_the_text_kept(
    browser, live_server, artifacts_dir, alice, dave
):
    thread = _a_question_with_some_talk(alice, dave)
    asker = sign_in(browser, live_server, "alice@example.com")
    asker.goto(thread.get_absolute_url())
    question = asker.locator("#comments-question")
    question.get_by_text("Add a comment").click()
    text = "The log says the upload of a big attachment stalled. " * 13
    question.get_by_role("textbox", name="Comment on the question").fill(text)
    expect(question.locator(".counter")).to_contain_text("over the limit")
    question.get_by_role("button", name="Post comment").click()
    error = asker.locator("#comments-question .error")
    expect(error).to_contain_text("the limit is 600")
    expect(asker.get_by_role("textbox", name="Comment on the question")).to_have_value(text)
    both_widths(asker, artifacts_dir, "comment-too-long")
    asker.context.close()
