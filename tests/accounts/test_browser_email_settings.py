"""In Chromium: a customer sets an email kind to "daily digest" and stops all emails on
/account/notifications/ (1280 and 360 px); and a coalesced email as the HTML a mail
client shows (issue 12, item 4)."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts import notifications
from forum import actions
from forum.models import Category
from tests.browser import both_widths, sign_in
from tests.jobs_helpers import run_pending

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_chooses_a_digest_and_stops_all_emails(browser, live_server, artifacts_dir, alice):
    page = sign_in(browser, live_server, alice.email)
    page.goto("/account/settings/")
    page.get_by_role("link", name="Email settings").click()
    page.get_by_role("heading", name="Email settings").wait_for()
    page.get_by_role("group", name="New answers").get_by_label("Daily digest").check()
    both_widths(page, artifacts_dir, "email-settings")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your email settings were saved.").wait_for()
    assert notifications.preference(alice.pk, "answers") == "digest"
    assert page.get_by_role("group", name="New answers").get_by_label("Daily digest").is_checked()

    page.get_by_role("button", name="Stop all emails").click()
    page.get_by_text("All emails are stopped.").first.wait_for()
    assert notifications.preference(alice.pk, "solutions") == "never"
    both_widths(page, artifacts_dir, "email-settings-stopped")
    page.get_by_role("button", name="Turn emails back on").click()
    page.get_by_text("Emails are back on").wait_for()
    assert notifications.preference(alice.pk, "answers") == "digest"


def test_a_coalesced_email_reads_well_as_html(browser, artifacts_dir, alice, bob, dave):
    category = Category.objects.create(name="Sync", slug="sync", position=1)
    first = actions.create_thread(
        alice, 'Sync & "backup" won\'t start after 4.2', "Backup stopped.", category
    )
    second = actions.create_thread(
        alice, "Notes app crashes when I open a shared notebook", "It crashes.", category
    )
    run_pending()
    actions.add_answer(first, bob, "Hi Alice, thanks!\n\nTurn sync off and on in **Settings → Sync**.")
    actions.add_answer(second, dave, "Same here since yesterday; reinstalling did not help.")
    run_pending()
    (message,) = mail.outbox
    assert message.subject == "2 updates on questions you follow"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_content(message.alternatives[0][0])
    assert "thanks!" not in page.content()  # the answer quoted from the fix on
    both_widths(page, artifacts_dir, "coalesced-email")
    context.close()
