"""The desk in Chromium on the demo's desk day: the queue, the team page, and a thread
with the staff panel, at 1280 and 360 px (desk-queue-*, desk-team-*, desk-thread-* in the
test's artifacts dir)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from demo.people import DEMO_PASSWORD
from forum.models import Thread
from tests.browser import both_widths, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_work_the_demo_desk(browser, live_server, artifacts_dir):
    call_command("load_demo", verbosity=0)
    page = sign_in(browser, live_server, "bob@example.com", DEMO_PASSWORD)

    page.get_by_role("link", name="Desk", exact=True).click()
    page.get_by_role("heading", name="Desk", exact=True).wait_for()
    first = page.locator(".desk-row").first
    assert "overdue" in first.locator(".desk-why").inner_text()
    both_widths(page, artifacts_dir, "desk-queue")

    page.goto("/desk/?show=all")
    page.get_by_role("heading", name="Taken by someone").wait_for()
    both_widths(page, artifacts_dir, "desk-queue-all")

    page.goto("/desk/team/")
    page.get_by_role("heading", name="Team workload").wait_for()
    assert "times the team median" in page.locator(".desk-flagged").inner_text()
    both_widths(page, artifacts_dir, "desk-team")

    thread = Thread.objects.get(title="Charged twice for the annual Pro plan")
    page.goto(thread.get_absolute_url())
    page.locator("#staff-desk").wait_for()
    assert "BD-2026-0412" in page.locator("#staff-notes").inner_text()
    both_widths(page, artifacts_dir, "desk-thread")

    page.goto("/desk/")
    page.get_by_role("button", name="Next →").click()
    page.get_by_text("the top of your queue").wait_for()
    page.context.close()
