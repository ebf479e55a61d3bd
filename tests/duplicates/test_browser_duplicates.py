"""The duplicate journey in Chromium: two customers post the same problem in different
words; the second thread shows the first under "Similar threads"; staff confirm; staff
mark an official answer on the first; the second shows the fix banner and its asker's
email arrives. Screenshots of the panel and the cluster page at 1280 and 360 px."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from duplicates import linking
from forum.models import Category, Thread
from tests.browser import shot, sign_in
from tests.duplicates.linking_helpers import PRINTER, PRINTER_AGAIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def post_question(page, title: str, body: str) -> None:
    page.goto("/questions/ask/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Details").fill(body)
    page.get_by_label("Product area").select_option(label="Printing")
    page.locator("#id_tags").fill("printer, firmware")
    page.get_by_role("button", name="Post your question").click()
    page.wait_for_url(re.compile(r"/questions/\d+/[\w-]+/$"))


def test_same_problem_linked_confirmed_and_fixed_once_for_everyone(
    browser, live_server, artifacts_dir, alice, bob, dave, eager_celery
):
    linking.reset_background_stats()
    Category.objects.create(name="Printing", slug="printing", position=1)

    first_asker = sign_in(browser, live_server, "alice@example.com")
    post_question(first_asker, *PRINTER)
    second_asker = sign_in(browser, live_server, "dave@example.com")
    post_question(second_asker, *PRINTER_AGAIN)
    first = Thread.objects.get(title=PRINTER[0])
    second = Thread.objects.get(title=PRINTER_AGAIN[0])

    # The link job ran after the second question committed: the first shows as similar.
    panel = second_asker.locator("#similar-threads")
    panel.wait_for()
    assert panel.get_by_role("link", name=first.title).is_visible()
    assert "Suggested" in panel.text_content()
    shot(second_asker, artifacts_dir / "1-similar-panel-1280.png")
    second_asker.set_viewport_size({"width": 360, "height": 800})
    shot(second_asker, artifacts_dir / "1-similar-panel-360.png")

    # Staff confirm "same problem" with htmx: the panel updates in place.
    staff = sign_in(browser, live_server, "bob@example.com")
    staff.goto(second.get_absolute_url())
    staff.evaluate("window.__noReload = true")
    staff.locator("#similar-threads").get_by_role("button", name=re.compile("Same problem as")).click()
    staff.locator("#similar-threads .badge-same").wait_for()
    assert staff.evaluate("window.__noReload") is True
    assert staff.get_by_test_id("cluster-affected").text_content().strip() == "2"

    # Staff answer the first thread and mark it official.
    staff.goto(first.get_absolute_url())
    staff.get_by_role("textbox", name="Your answer").fill(
        "Known issue in firmware 3.1: install 3.1.1 from the printer's settings page, then restart it."
    )
    staff.get_by_role("button", name="Post your answer").click()
    staff.get_by_role("button", name="★ Mark official").click()
    staff.get_by_text("Marked as the official answer").wait_for()

    # The second thread shows the fix; its asker got one email about it.
    second_asker.set_viewport_size({"width": 1280, "height": 900})
    second_asker.goto(second.get_absolute_url())
    banner = second_asker.locator("#linked-fix")
    banner.wait_for()
    assert "Fixed on a linked question" in banner.text_content()
    assert second_asker.get_by_test_id("cluster-affected").text_content().strip() == "2"
    shot(second_asker, artifacts_dir / "2-fix-banner-1280.png")
    second_asker.set_viewport_size({"width": 360, "height": 800})
    shot(second_asker, artifacts_dir / "2-fix-banner-360.png")
    fix_mail = [m for m in mail.outbox if m.subject.startswith("Fixed on a linked question")]
    assert [m.to for m in fix_mail] == [["dave@example.com"]]
    assert first.get_absolute_url() in fix_mail[0].body

    # The cluster page lists both questions and the people affected.
    second_asker.set_viewport_size({"width": 1280, "height": 900})
    second_asker.get_by_test_id("cluster-affected").click()
    second_asker.wait_for_url(re.compile(r"/questions/cluster/\d+/$"))
    assert second_asker.get_by_test_id("cluster-page-affected").text_content().strip() == "2"
    assert second_asker.locator(".cluster-thread").count() == 2
    shot(second_asker, artifacts_dir / "3-cluster-1280.png")
    second_asker.set_viewport_size({"width": 360, "height": 800})
    shot(second_asker, artifacts_dir / "3-cluster-360.png")
    staff.goto(second_asker.url)
    assert staff.get_by_role("button", name=re.compile("Merge .* into the main question")).count() == 1
    shot(staff, artifacts_dir / "4-cluster-staff-1280.png")
    for page in (first_asker, second_asker, staff):
        page.context.close()
