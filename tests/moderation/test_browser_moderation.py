"""The moderation journey in Chromium: a customer reports a spam thread in place; a
moderator finds it in the queue, hides it with a reason and suspends its author; the
author is emailed; the audit log shows both decisions. Screenshots at 1280 and 360 px."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import User
from audit.models import AuditEntry
from forum import actions
from forum.models import Category, Thread
from moderation import actions as moderation_actions
from moderation.targets import KINDS
from tests.browser import both_widths, sign_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_hide_suspend_email_audit(
    browser, live_server, artifacts_dir, alice, carol, dave, bob, eager_celery
):
    category = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    sam = make_user("sam@example.com", "Sam Deals")
    spam = actions.create_thread(
        sam, "Cheap watches and bags, best prices this week",
        "Visit my shop for cheap watches and designer bags. Best prices, fast delivery, order today!", category,
    )  # fmt: skip
    real = actions.create_thread(
        dave, "Calendar reminders arrive an hour late", "Since the clocks changed every reminder is an hour late.", category,
    )  # fmt: skip
    answer = actions.add_answer(real, alice, "Same here. You can reach me on my mobile if staff need logs.")
    moderation_actions.report(dave, KINDS["answer"].target(answer), "personal_data", "Offers a phone number")

    # A customer reports the spam thread, in place (htmx), without leaving the page.
    reporter = sign_in(browser, live_server, "alice@example.com")
    reporter.goto(spam.get_absolute_url())
    reporter.evaluate("window.__noReload = true")
    tool = reporter.locator(f"#report-thread-{spam.pk}")
    tool.get_by_role("link", name="Report").click()
    form = reporter.locator(".report-form")
    form.wait_for()
    form.get_by_label("Spam").check()
    form.get_by_label("Anything the moderators should know?").fill(
        "Advertising a shop, nothing to do with the product."
    )
    both_widths(reporter, artifacts_dir, "1-report-form")
    form.get_by_role("button", name="Send report").click()
    reporter.get_by_text("Reported — thank you").wait_for()
    assert reporter.evaluate("window.__noReload") is True
    both_widths(reporter, artifacts_dir, "2-reported")
    reporter.reload()
    assert reporter.get_by_test_id(f"reported-thread-{spam.pk}").is_visible()  # the state stays

    # A moderator sees it in the queue, with the reason and the note.
    moderator = sign_in(browser, live_server, "carol@example.com")
    moderator.goto("/moderation/")
    case = moderator.get_by_test_id(f"case-thread-{spam.pk}")
    assert "Spam" in case.text_content() and "Advertising a shop" in case.text_content()
    both_widths(moderator, artifacts_dir, "3-queue")

    # ... hides it with a reason, and suspends its author for a week.
    case.get_by_role("link", name="Review").click()
    moderator.wait_for_url(re.compile(rf"/moderation/thread/{spam.pk}/$"))
    moderator.locator("#id_hide-reason").fill("Advertising: not a question about Onefix.")
    moderator.get_by_role("button", name="Hide", exact=True).click()
    moderator.get_by_text("The question is hidden.").wait_for()
    moderator.locator("#id_suspend-days").fill("7")
    moderator.locator("#id_suspend-reason").fill("Posting adverts for a shop.")
    moderator.get_by_role("button", name="Suspend").click()
    moderator.get_by_text("Sam Deals is suspended").wait_for()
    both_widths(moderator, artifacts_dir, "4-review")
    spam.refresh_from_db()
    sam.refresh_from_db()
    assert spam.is_deleted and sam.is_suspended

    # The author is told both, by email, with the reasons.
    to_sam = {m.subject: m.body for m in mail.outbox if m.to == ["sam@example.com"]}
    assert set(to_sam) == {"A moderator hid your question", "Your Onefix account is suspended"}
    assert "Advertising: not a question about Onefix." in to_sam["A moderator hid your question"]
    assert "Posting adverts for a shop." in to_sam["Your Onefix account is suspended"]

    # The audit log shows both decisions, with who, what and why.
    moderator.goto("/moderation/audit/")
    entries = moderator.locator(".audit-entry")
    assert entries.count() == 2
    text = moderator.locator(".audit-list").text_content()
    assert "Suspended someone" in text and "Hid a question" in text
    assert "Posting adverts for a shop." in text and "Advertising: not a question about Onefix." in text
    both_widths(moderator, artifacts_dir, "5-audit-log")
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == ["thread.delete", "user.suspend"]

    # The suspended author sees why, and cannot post.
    author = sign_in(browser, live_server, "sam@example.com")
    author.goto(real.get_absolute_url())
    assert "Your account is suspended until" in author.locator(".suspension-banner").text_content()
    author.get_by_role("textbox", name="Your answer").fill("Buy cheap watches at my shop!")
    author.get_by_role("button", name="Post your answer").click()
    author.get_by_text("you can read, but not answer").first.wait_for()
    both_widths(author, artifacts_dir, "6-suspended")
    assert not Thread.objects.get(pk=real.pk).posts.filter(author=sam).exists()
    assert User.objects.get(pk=sam.pk).is_suspended
    for page in (reporter, moderator, author):
        page.context.close()
