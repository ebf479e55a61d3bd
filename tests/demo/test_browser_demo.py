"""What a newcomer sees after `make run`: the duplicate loop in the demo, in Chromium.

Loads the demo with the load_demo command, then opens, as a visitor, the cluster page,
a thread whose "Similar threads" panel lists the job's suggestion, and the thread that
shows the fix from its linked question. Screenshots at 1280 and 360 px go to the test's
artifacts dir (demo-cluster-*, demo-similar-*, demo-fix-banner-*)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from duplicates.models import Cluster
from forum.models import Thread
from tests.browser import both_widths
from tests.demo.test_load_demo import BATTERY, BATTERY_AGAIN, SYNC, SYNC_AGAIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_newcomer_sees_a_cluster_similar_threads_and_a_fix_banner(page, live_server, artifacts_dir):
    call_command("load_demo", verbosity=0)

    page.goto(Cluster.objects.get().get_absolute_url())
    page.get_by_role("heading", name="Same problem, 2 questions").wait_for()
    titles = page.locator(".cluster-thread-title").all_inner_texts()
    assert sorted(titles) == sorted([SYNC, SYNC_AGAIN])
    assert page.get_by_test_id("cluster-page-affected").inner_text() == "13"
    assert page.locator(".fix-banner .fix-list li").count() >= 1
    both_widths(page, artifacts_dir, "demo-cluster")

    page.goto(Thread.objects.get(title=BATTERY_AGAIN).get_absolute_url())
    panel = page.locator("#similar-threads")
    panel.wait_for()
    assert panel.locator(".similar-item").count() == 1
    assert panel.locator(".similar-title").inner_text() == BATTERY
    assert panel.locator(".badge", has_text="Suggested").is_visible()
    both_widths(page, artifacts_dir, "demo-similar")

    page.goto(Thread.objects.get(title=SYNC_AGAIN).get_absolute_url())
    banner = page.locator("#linked-fix")
    banner.wait_for()
    assert "Fixed on a linked question." in banner.inner_text()
    assert banner.get_by_role("link", name=SYNC).is_visible()
    assert page.locator("#similar-threads .badge", has_text="Same problem").is_visible()
    both_widths(page, artifacts_dir, "demo-fix-banner")

    banner.get_by_role("link", name=SYNC).click()  # the banner leads to the fix itself
    page.locator(".answer-accepted").wait_for()
    assert page.url.endswith(f"#post-{Thread.objects.get(title=SYNC).accepted_post_id}")


def test_staff_see_seven_weeks_of_history_on_the_insights_page(browser, live_server, artifacts_dir):
    """Issue 13: the demo's history on the insights page (all five charts drawn) and on
    /stats/. Screenshots: demo-insights-*, demo-stats-*."""
    from demo.people import DEMO_PASSWORD

    call_command("load_demo", verbosity=0)
    page = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url).new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_placeholder("Email address").fill("bob@example.com")
    page.get_by_placeholder("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.locator(".site-header .account-name").wait_for()
    page.goto("/desk/insights/")
    page.wait_for_function("() => document.documentElement.dataset.insightsCharts === '5'")
    assert page.locator("table.insights-table:not(.spike-table) tbody tr").count() >= 8  # weeks
    both_widths(page, artifacts_dir, "demo-insights")
    page.goto("/stats/")
    page.get_by_role("heading", level=1).wait_for()
    assert "Not enough questions yet" not in page.locator(".stats-public").inner_text()
    both_widths(page, artifacts_dir, "demo-stats")
