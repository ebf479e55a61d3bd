"""Issue 10's acceptance journey in Chromium: staff opens the desk and sees three waiting
items in the documented order; takes the top one (a cluster of two questions); answers
and marks the answer official; both questions leave the queue; the second asker gets one
email with "Did this fix it for you too?", answers "No, still broken", and their question
is back in the queue at its old wait. Screenshots acceptance-desk-*, acceptance-team-*,
acceptance-back-* at 1280 and 360 px."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from forum.models import Thread
from tests.browser import both_widths, sign_in
from tests.desk.conftest import ask, link, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rows(page) -> list[str]:
    """Each queue row's titles, in order, and why it is where it is."""
    return [row.inner_text() for row in page.locator(".desk-queue .desk-row").all()]


def test_one_answer_reaches_a_cluster_and_still_broken_comes_back(
    browser, live_server, artifacts_dir, bob, category, eager_celery
):
    # G: a cluster of two questions, 3 people, waiting since 30 h: tier 3, 3 people x 4 = 12 points.
    g1 = ask(category, "PDF export closes the app on macOS 15", 30, people=2)
    g2_asker = person()
    g2 = ask(category, "Exporting to PDF crashes Brightdesk on my Mac", 26, author=g2_asker)
    link(g1, g2, bob)
    # B: 5 people at 2 h: tier 1, 5 points. C: 1 person at 10 h: tier 2, 2 points.
    ask(category, "Reminders arrive an hour late since the clock change", 2, people=5)
    ask(category, "Shared link asks viewers to sign in", 10)
    mail.outbox.clear()

    page = sign_in(browser, live_server, bob.email)
    page.goto("/desk/")
    rows = _rows(page)
    assert len(rows) == 3
    assert (
        "Cluster of 2 waiting questions" in rows[0] and "3 people affected · waiting 30 h · tier 3" in rows[0]
    )
    assert (
        "Reminders arrive an hour late" in rows[1] and "5 people affected · waiting 2 h · tier 1" in rows[1]
    )
    assert "Shared link asks viewers" in rows[2] and "1 person affected · waiting 10 h · tier 2" in rows[2]
    both_widths(page, artifacts_dir, "acceptance-desk")

    page.locator(".desk-row").first.get_by_role("button", name="Take it").click()
    page.get_by_text("You took").first.wait_for()
    page.goto(g1.get_absolute_url())
    page.locator("#staff-desk").get_by_text(
        "your answer will reach 3 people in 2 threads", exact=False
    ).wait_for()
    page.locator("form[action$='/answer/'] textarea[name=body]").fill(
        "This is fixed in 4.3.1: update from Help > Check for updates, then export again."
    )
    page.get_by_role("button", name="Post your answer").click()
    page.get_by_role("button", name="Mark official").click()
    page.get_by_text("Official answer").first.wait_for()

    page.goto("/desk/")
    rows = _rows(page)
    assert len(rows) == 2 and not any("PDF" in row for row in rows)
    assert Thread.objects.get(pk=g2.pk).status == "solved"

    to_second = [m for m in mail.outbox if g2_asker.email in m.to]
    assert len(to_second) == 1
    [email] = to_second
    assert "Did this fix it for you too?" in email.body
    link_no = re.search(r"https?://\S+\?fixed=no#linked-fix", email.body).group(0)

    asker = sign_in(browser, live_server, g2_asker.email)
    asker.goto(re.sub(r"^https?://[^/]+", "", link_no))
    asker.get_by_role("button", name="No, still broken").click()
    asker.get_by_text("back with the team").first.wait_for()

    g2.refresh_from_db()
    assert g2.status != "solved" and g2.waiting_since == g2.created_at  # its old wait
    page.goto("/desk/")
    rows = _rows(page)
    assert len(rows) == 3
    assert "Exporting to PDF crashes Brightdesk on my Mac" in rows[0]
    assert "waiting 26 h · tier 3" in rows[0]
    both_widths(page, artifacts_dir, "acceptance-back")

    page.goto("/desk/team/")
    page.get_by_role("heading", name="Team workload").wait_for()
    both_widths(page, artifacts_dir, "acceptance-team")
