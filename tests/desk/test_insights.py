"""Insights (issue 13, items 1 and 2): the metric definitions on hand-made data with known
answers (docs/insights.md), the staff page and its CSV, the public /stats/ page."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from desk import insights
from forum import actions as forum_actions
from forum.models import Thread
from kb.models import HelpfulVote
from search.models import AskAttempt
from tests.desk.conftest import ask, person


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def replied(area, title: str, asked: datetime, after_hours: float, staff):
    """A customer's question asked at `asked`, first answered by staff `after_hours` later."""
    thread = forum_actions.create_thread(person(), title, f"The details of: {title}.", area, created_at=asked)
    forum_actions.add_answer(
        thread, staff, "Here is what to try.", created_at=asked + timedelta(hours=after_hours)
    )
    thread.refresh_from_db()
    return thread


def range_around(now: datetime) -> tuple[date, date]:
    today = now.astimezone(insights.zone()).date()
    return today - timedelta(days=30), today


# --- percentiles --------------------------------------------------------------------------


def test_percentile_is_nearest_rank():
    assert insights.percentile([30, 1, 4, 2, 3], 50) == 3
    assert insights.percentile([1, 2, 3, 4, 30], 90) == 30  # ceil(0.9 * 5) = 5th
    assert insights.percentile(list(range(1, 11)), 90) == 9  # ceil(0.9 * 10) = 9th
    assert insights.percentile([7], 90) == 7
    assert insights.percentile([], 50) is None


# --- time to first staff reply and the 24 h share ------------------------------------------


def test_five_threads_replied_in_1_2_3_4_30_hours(bob, category):
    now = timezone.now()
    asked = now - timedelta(hours=40)
    for n, hours in enumerate([1, 2, 3, 4, 30]):
        replied(category, f"Question number {n} about sync", asked, hours, bob)
    total = insights.report(*range_around(now), now=now).total
    assert total.asked == 5
    assert total.decided == 5
    assert total.reply_p50 == pytest.approx(3)
    assert total.reply_p90 == pytest.approx(30)
    assert total.within_24h == 4
    assert total.share_24h == pytest.approx(0.8)


def test_a_thread_still_waiting_after_24_hours_counts_as_not_within_24_hours(bob, category):
    now = timezone.now()
    asked = now - timedelta(hours=40)
    for n, hours in enumerate([1, 2, 3, 4, 30]):
        replied(category, f"Question number {n} about sync", asked, hours, bob)
    ask(category, "Nobody has answered this one in two days", 48)
    ask(category, "Asked two hours ago, not decided yet", 2)
    total = insights.report(*range_around(now), now=now).total
    assert total.asked == 7
    assert total.decided == 6  # the 2-hour-old one is not decided yet
    assert total.waiting_over_24h == 1
    assert total.share_24h == pytest.approx(4 / 6)
    assert total.reply_p50 == pytest.approx(3)  # ceil(0.5 * 6) = 3rd of 1,2,3,4,30,48
    assert total.reply_p90 == pytest.approx(48, abs=0.01)  # its wait so far


def test_a_question_solved_without_a_staff_reply_is_left_out_of_reply_times(bob, dave, category):
    now = timezone.now()
    replied(category, "Answered by the team in two hours", now - timedelta(hours=30), 2, bob)
    thread = ask(category, "Solved by another customer", 30)
    answer = forum_actions.add_answer(thread, dave, "Same here, switching it off and on fixed it.")
    forum_actions.accept_solution(thread, answer, thread.author)
    total = insights.report(*range_around(now), now=now).total
    assert total.asked == 2
    assert (total.decided, total.within_24h) == (1, 1)


def test_questions_asked_by_staff_are_not_counted(bob, category):
    now = timezone.now()
    ask(category, "A question the team asked itself", 30, author=bob)
    assert insights.report(*range_around(now), now=now).total.asked == 0


def test_weeks_and_ranges_follow_the_team_time_zone_and_durations_are_real_hours(settings, bob, category):
    settings.DESK_TIME_ZONE = "America/New_York"
    # Monday 9 March 2026 03:30 UTC is Sunday 8 March 23:30 in New York: the week of 2 March.
    late_sunday = replied(
        category, "Asked late on Sunday evening", datetime(2026, 3, 9, 3, 30, tzinfo=UTC), 1, bob
    )
    # Clocks went forward in New York at 02:00 on 8 March: 01:00 EST to 04:00 EDT is 2 real hours.
    over_dst = replied(
        category, "Asked just before the clocks changed", datetime(2026, 3, 8, 6, 0, tzinfo=UTC), 2, bob
    )
    assert late_sunday.first_response_delay == timedelta(hours=1)
    now = datetime(2026, 3, 20, tzinfo=UTC)
    report = insights.report(date(2026, 3, 2), date(2026, 3, 15), now=now)
    by_week = {b.start: b for b in report.weeks}
    assert set(by_week) == {date(2026, 3, 2), date(2026, 3, 9)}
    assert by_week[date(2026, 3, 2)].asked == 2
    week = by_week[date(2026, 3, 2)]
    assert (week.reply_p50, week.reply_p90) == (pytest.approx(1), pytest.approx(2))  # 1 h and 2 real hours
    assert by_week[date(2026, 3, 9)].asked == 0
    # A range ending on Sunday 8 March (New York) still holds the 23:30 question.
    assert insights.report(date(2026, 3, 8), date(2026, 3, 8), now=now).total.asked == 2
    assert insights.report(date(2026, 3, 9), date(2026, 3, 9), now=now).total.asked == 0
    assert over_dst.first_staff_response_at - over_dst.created_at == timedelta(hours=2)


def test_the_area_filter_keeps_one_product_area(bob, category, other_category):
    now = timezone.now()
    replied(category, "In the first area", now - timedelta(hours=30), 1, bob)
    replied(other_category, "In the other area", now - timedelta(hours=30), 30, bob)
    report = insights.report(*range_around(now), other_category, now=now)
    assert report.total.asked == 1
    assert report.total.reply_p50 == pytest.approx(30)
    assert report.total.share_24h == 0


# --- time to solution, deflection, people reached ----------------------------------------


def test_time_to_solution_is_asking_to_the_solving_answer(bob, dave, category):
    now = timezone.now()
    start = now - timedelta(hours=20)
    official = forum_actions.create_thread(
        person(), "Solved by an official answer", "Details here.", category, created_at=start
    )
    post = forum_actions.add_answer(official, bob, "The official fix.", created_at=start + timedelta(hours=2))
    forum_actions.mark_official(post, bob)  # answered by staff, not solved (docs/forum.md)
    forum_actions.answer_did_it_fix(official.author, official, fixed=True)  # the asker: yes -> solved
    accepted = forum_actions.create_thread(
        person(), "Solved by an accepted answer", "Details here.", category, created_at=start
    )
    post = forum_actions.add_answer(accepted, dave, "Try this.", created_at=start + timedelta(hours=5))
    forum_actions.accept_solution(accepted, post, accepted.author)  # accepted later: the answer's time counts
    ask(category, "Not solved at all", 20)
    total = insights.report(*range_around(now), now=now).total
    assert total.solved == 2
    assert total.solution_p50 == pytest.approx(2)  # ceil(0.5 * 2) = 1st
    assert total.solution_p90 == pytest.approx(5)


def test_deflection_uses_the_search_apps_definition(db):
    now = timezone.now()
    old = now - timedelta(hours=3)

    def attempt(n, **kw):
        AskAttempt.objects.create(token=f"t{n}", created_at=kw.pop("created_at", old), **kw)

    attempt(1, suggestions_shown=2, opened_at=old)  # prevented
    attempt(2, suggestions_shown=1, opened_at=old)  # prevented
    attempt(3, suggestions_shown=3, opened_at=old, posted_at=old)  # opened, posted anyway
    attempt(4, suggestions_shown=1, opened_at=now, created_at=now - timedelta(minutes=10))  # may still post
    attempt(5, suggestions_shown=0)  # shown nothing: not counted
    total = insights.report(*range_around(now), now=now).total
    assert (total.shown, total.prevented) == (4, 2)
    assert total.deflection == pytest.approx(0.5)


def test_people_reached_by_the_kb_and_by_linked_fixes(bob, category, other_category):
    from kb import actions as kb_actions

    now = timezone.now()
    source = ask(category, "Sync stops after the update", 5)
    answer = forum_actions.add_answer(source, bob, "## Fix\n\nChoose Skip in Settings, then update.")
    article = kb_actions.promote(answer, bob)
    kb_actions.publish(article, bob)
    article.refresh_from_db()
    for voter in ("v:one", "v:two", "v:three"):
        kb_actions.vote(article, voter, True)
    kb_actions.vote(article, "v:four", False)  # not helped
    marked = ask(category, "Sync stalls since the update", 4, people=2)  # asker + one me-too voter
    with transaction.atomic():
        forum_actions.mark_solved_through_link(
            [marked.pk], key="fix:article:1", url="/kb/x/", title="Fix", published_at=now
        )
    total = insights.report(*range_around(now), now=now).total
    assert total.kb_people == 3
    assert total.fix_people == 2
    elsewhere = insights.report(*range_around(now), other_category, now=now).total
    assert (elsewhere.kb_people, elsewhere.fix_people) == (0, 0)
    assert HelpfulVote.objects.count() == 4


def test_the_report_reads_a_fixed_number_of_queries(bob, category, django_assert_num_queries):
    now = timezone.now()
    for n in range(3):
        replied(category, f"Question number {n} about sync", now - timedelta(hours=30), n + 1, bob)
    # The per-day figures (none built: desk/figures.py), then thread_figures: 1 query or 3.
    queries = 7 if connection.vendor == "postgresql" else 9
    with django_assert_num_queries(queries):
        insights.report(*range_around(now), now=now)
    for n in range(3, 9):
        replied(category, f"Question number {n} about sync", now - timedelta(days=n), n + 1, bob)
    with django_assert_num_queries(queries):
        insights.report(*range_around(now), now=now)


# --- the staff page -----------------------------------------------------------------------


def test_insights_page_is_for_staff_only(client, alice_client, carol_client, bob_client, db):
    assert client.get("/desk/insights/").status_code == 404
    assert alice_client.get("/desk/insights/").status_code == 404  # a customer
    assert carol_client.get("/desk/insights/").status_code == 404  # a moderator without the staff role
    assert client.get("/desk/insights/?format=csv").status_code == 404
    assert alice_client.get("/desk/insights/?format=csv").status_code == 404
    assert carol_client.get("/desk/insights/?format=csv").status_code == 404
    assert bob_client.get("/desk/insights/").status_code == 200


def test_insights_page_shows_the_figures_and_the_chart_data(bob_client, bob, category):
    now = timezone.now()
    for n, hours in enumerate([1, 2, 3, 4, 30]):
        replied(category, f"Question number {n} about sync", now - timedelta(hours=40), hours, bob)
    response = bob_client.get("/desk/insights/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="insights-data"' in body and 'type="application/json"' in body
    assert "vendor/chartjs/chart.umd.min.js" in body
    assert response.context["total"]["reply_p50"] == 3
    assert response.context["total"]["share_24h"] == 0.8
    assert sum(response.context["chart"]["asked"]) == 5


def test_insights_filter_by_area_and_a_bad_range_says_so_and_keeps_the_area(
    bob_client, bob, category, other_category
):
    now = timezone.now()
    replied(category, "In the first area", now - timedelta(hours=30), 1, bob)
    response = bob_client.get("/desk/insights/", {"category": other_category.slug})
    assert response.context["total"]["asked"] == 0
    response = bob_client.get(
        "/desk/insights/", {"start": "2026-05-10", "end": "2026-05-01", "category": other_category.slug}
    )
    assert response.status_code == 200
    assert "The end of the range is before its start" in response.content.decode()
    assert response.context["report"].category == other_category
    assert 'value="2026-05-10"' in response.content.decode()  # what was typed stays
    response = bob_client.get("/desk/insights/", {"start": "not a date"})
    assert "Enter a valid date" in response.content.decode()


def test_insights_csv_has_the_same_numbers(bob_client, bob, category):
    now = timezone.now()
    for n, hours in enumerate([1, 2, 3, 4, 30]):
        replied(category, f"Question number {n} about sync", now - timedelta(hours=40), hours, bob)
    page = bob_client.get("/desk/insights/")
    response = bob_client.get("/desk/insights/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Week starting"
    assert len(rows) == 1 + len(page.context["rows"]) + 1
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert total["Week starting"] == "All weeks"
    assert total["Questions asked"] == "5"
    assert float(total["First staff reply p50 (h)"]) == 3
    assert float(total["First staff reply p90 (h)"]) == 30
    assert float(total["Staff reply within 24 h (share)"]) == 0.8


# --- the public /stats/ page --------------------------------------------------------------


def test_stats_suppresses_groups_smaller_than_the_threshold(client, bob, category, other_category):
    now = timezone.now()
    for n in range(4):
        replied(category, f"Question number {n} about sync", now - timedelta(hours=30), 2, bob)
    response = client.get("/stats/")
    assert response.status_code == 200
    body = response.content.decode()
    stats = response.context["stats"]
    assert not stats["overall"]["enough"] and stats["overall"]["reply_p50"] is None
    assert "Not enough questions yet" in body
    assert "2 h" not in body  # no figure leaks for 4 questions
    cache.clear()
    replied(category, "The fifth question about sync", now - timedelta(hours=30), 2, bob)
    stats = client.get("/stats/").context["stats"]
    assert stats["overall"]["enough"] and stats["overall"]["reply_p50"] == pytest.approx(2)
    assert stats["overall"]["share_24h"] == 1
    areas = {a["name"]: a for a in stats["areas"]}
    assert areas[category.name]["enough"]
    assert not areas[other_category.name]["enough"] and areas[other_category.name]["reply_p50"] is None


def test_stats_threshold_is_a_setting(client, settings, bob, category):
    settings.INSIGHTS_MIN_GROUP = 2
    now = timezone.now()
    for n in range(2):
        replied(category, f"Question number {n} about sync", now - timedelta(hours=30), 3, bob)
    stats = client.get("/stats/").context["stats"]
    assert stats["overall"]["enough"] and stats["overall"]["reply_p50"] == pytest.approx(3)


def test_stats_shows_no_names_and_is_cached_with_pinned_queries(client, bob, category, other_category):
    now = timezone.now()
    for n in range(5):
        replied(category, f"Question number {n} about sync", now - timedelta(hours=30), 2, bob)
    with CaptureQueriesContext(connection) as cold:
        response = client.get("/stats/")
    assert response.status_code == 200
    assert bob.display_name not in response.content.decode()
    ours = [q for q in cold.captured_queries if "forum_" in q["sql"] or "kb_" in q["sql"]]
    # The threads (PostgreSQL: one query; SQLite: counted and timed apart), the areas, the
    # KB's helpful voters.
    assert len(ours) == (3 if connection.vendor == "postgresql" else 4)
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/stats/").status_code == 200
    assert [q for q in warm.captured_queries if "forum_" in q["sql"] or "kb_" in q["sql"]] == []


def test_stats_counts_kb_helped_people_this_month_from_the_threshold(client, bob, category):
    from kb import actions as kb_actions

    source = ask(category, "Sync stops after the update", 5)
    answer = forum_actions.add_answer(source, bob, "## Fix\n\nChoose Skip in Settings, then update.")
    article = kb_actions.promote(answer, bob)
    kb_actions.publish(article, bob)
    article.refresh_from_db()
    for n in range(4):
        kb_actions.vote(article, f"v:{n}", True)
    assert client.get("/stats/").context["stats"]["kb_people"] is None
    cache.clear()
    kb_actions.vote(article, "v:5", True)
    assert client.get("/stats/").context["stats"]["kb_people"] == 5
    assert Thread.objects.count() == 1
