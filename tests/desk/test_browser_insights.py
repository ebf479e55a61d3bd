"""Insights in Chromium (issue 13, items 1 and 2): staff open /desk/insights/ and see the
five charts drawn by the vendored Chart.js under the strict CSP; a visitor opens /stats/.
Screenshots at 1280 and 360 px: desk-insights-*, stats-* in the test's artifacts dir."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import actions as forum_actions
from tests.browser import both_widths, sign_in
from tests.desk.conftest import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_few_weeks_of_questions(area, other_area, staff) -> None:
    """Eight weeks of questions, replies getting faster week by week, a few still waiting."""
    now = timezone.now()
    for week in range(8):
        for n in range(6):
            asked = now - timedelta(days=7 * week + n % 5, hours=30)
            where = area if n % 3 else other_area
            thread = forum_actions.create_thread(
                person(), f"Week {week} question {n} about syncing", "Sync stops after the update.", where,
                created_at=asked,
            )  # fmt: skip
            if n == 5 and week < 2:
                continue  # still waiting for staff
            hours = 1 + week * 3 + n * 2
            post = forum_actions.add_answer(
                thread, staff, "Choose Skip in Settings.", created_at=asked + timedelta(hours=hours)
            )
            if n % 2:
                forum_actions.mark_official(post, staff)


def test_staff_see_the_charts_and_a_visitor_sees_stats(
    browser, live_server, artifacts_dir, bob, category, other_category
):
    a_few_weeks_of_questions(category, other_category, bob)
    page = sign_in(browser, live_server, "bob@example.com")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto("/desk/insights/")
    page.get_by_role("heading", name="Insights", exact=True).wait_for()
    page.wait_for_function("() => document.documentElement.dataset.insightsCharts === '5'")
    for chart in ("chart-reply", "chart-share", "chart-solution", "chart-reach", "chart-deflection"):
        box = page.locator(f"#{chart}").bounding_box()
        assert box and box["width"] > 200 and box["height"] > 150
    assert problems == []
    both_widths(page, artifacts_dir, "desk-insights")

    page.locator("#id_category").select_option(label=other_category.name)
    page.get_by_role("button", name="Show").click()
    page.wait_for_function("() => document.documentElement.dataset.insightsCharts === '5'")
    assert other_category.name in page.locator(".insights-range").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.endswith(f"-{other_category.slug}.csv")
    page.context.close()

    visitor = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    ).new_page()
    visitor.goto("/stats/")
    visitor.get_by_role("heading", name="How fast we answer").wait_for()
    assert "Answered by staff within 24 hours" in visitor.content()
    assert "Bob" not in visitor.locator("main").inner_text()
    both_widths(visitor, artifacts_dir, "stats")
    visitor.context.close()


def test_staff_see_a_spike_banner_on_the_desk_and_its_numbers_on_insights(
    browser, live_server, artifacts_dir, bob, category
):
    """A spike alert (desk/spikes.py) as staff meet it: the banner on /desk/, the table."""
    from desk import spikes

    now = timezone.now()
    for n in range(14):
        forum_actions.create_thread(
            person(), f"Sync stopped after the update, case {n}", "Nothing syncs since this morning.",
            category, created_at=now - timedelta(minutes=3 + 4 * n),
        )  # fmt: skip
    [alert] = spikes.detect(now)
    page = sign_in(browser, live_server, "bob@example.com")
    page.goto("/desk/")
    banner = page.locator(".spike-banner")
    assert "Sync & accounts: 14 new questions and me-toos in the last hour" in banner.inner_text()
    both_widths(page, artifacts_dir, "desk-spike-banner")
    banner.get_by_role("link", name="See the numbers").click()
    table = page.locator(".spike-table")
    table.wait_for()
    assert "Still open" in table.inner_text() and "Sync & accounts" in table.inner_text()
    page.locator("#spikes").scroll_into_view_if_needed()
    both_widths(page, artifacts_dir, "desk-insights-spikes")
    for width in (1280, 360):  # the table itself, to look at without the charts above
        page.set_viewport_size({"width": width, "height": 900})
        table.screenshot(path=str(artifacts_dir / f"desk-spike-table-{width}.png"))
    page.context.close()
    assert alert.observed == 14
