"""The insights' per-day figures (desk/figures.py, docs/insights.md "Speed"): the stored
path gives the row path's numbers on hand-made data (time zones, daylight saving, still
waiting questions crossing 24 h, the day in progress), the beat job is idempotent and
picks up late replies, and the command builds any range."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from config.celery import app
from desk import figures, insights
from desk.models import DailyFigure
from forum import actions as forum_actions
from forum.models import Thread
from search.models import AskAttempt
from tests.desk.conftest import person

NY = "America/New_York"
# Friday 20 March 2026, 12:00 in New York (EDT): "now" for the hand-made month.
NOW = datetime(2026, 3, 20, 16, 0, tzinfo=UTC)
FIRST, YESTERDAY = date(2026, 2, 23), date(2026, 3, 19)


@pytest.fixture(autouse=True)
def _new_york(settings):
    settings.DESK_TIME_ZONE = NY
    cache.clear()
    yield
    cache.clear()


def question(area, title: str, asked: datetime, *, reply_after: float | None = None, staff=None, author=None):
    thread = forum_actions.create_thread(
        author or person(), title, f"The details of: {title}.", area, created_at=asked
    )
    if reply_after is not None:
        forum_actions.add_answer(
            thread, staff, "Here is what to try.", created_at=asked + timedelta(hours=reply_after)
        )
    thread.refresh_from_db()
    return thread


@pytest.fixture
def month(bob, carol, dave, category, other_category):
    """A month of hand-made questions in two areas, in New York time."""
    ny = figures.zone()
    monday = datetime(2026, 3, 2, 10, 0, tzinfo=ny)
    for n, hours in enumerate([1, 2, 3, 4, 30]):
        question(category, f"Known reply time number {n}", monday, reply_after=hours, staff=bob)
    # Sunday 8 March 23:30 in New York is Monday in UTC: the week of 2 March.
    question(
        category,
        "Asked late on Sunday evening",
        datetime(2026, 3, 9, 3, 30, tzinfo=UTC),
        reply_after=1,
        staff=bob,
    )
    # 01:00 EST, answered 04:00 EDT: 2 real hours across the clock change.
    question(
        category,
        "Asked before the clocks changed",
        datetime(2026, 3, 8, 6, 0, tzinfo=UTC),
        reply_after=2,
        staff=bob,
    )
    question(category, "Nobody has answered this for three days", NOW - timedelta(hours=75))
    question(category, "Asked yesterday afternoon, waiting 20 hours", NOW - timedelta(hours=20))
    question(category, "Asked by the team itself", monday, reply_after=1, staff=bob, author=bob)
    gone = question(category, "Deleted later", monday, reply_after=3, staff=bob)
    forum_actions.delete_thread(gone, carol)
    community = question(category, "Solved by another customer", monday + timedelta(days=3))
    answer = forum_actions.add_answer(
        community, dave, "Switching it off and on fixed it.", created_at=monday + timedelta(days=3, hours=4)
    )
    forum_actions.accept_solution(community, answer, community.author)
    official = question(other_category, "Solved by an official answer", monday + timedelta(days=1))
    post = forum_actions.add_answer(
        official, bob, "The official fix.", created_at=monday + timedelta(days=1, hours=6)
    )
    forum_actions.mark_official(post, bob)
    forum_actions.answer_did_it_fix(official.author, official, fixed=True)
    accepted = question(
        other_category, "Solved by an accepted answer", monday + timedelta(days=8), reply_after=26, staff=bob
    )
    post = forum_actions.add_answer(
        accepted, dave, "Try this.", created_at=monday + timedelta(days=8, hours=50)
    )
    forum_actions.accept_solution(accepted, post, accepted.author)
    for n, hours in enumerate([5, 26, 50, 0.005]):
        question(
            other_category,
            f"Other area number {n}",
            monday + timedelta(days=n * 4, hours=n),
            reply_after=hours,
            staff=bob,
        )
    linked = question(
        other_category,
        "Solved through a linked question",
        monday + timedelta(days=5),
        reply_after=8,
        staff=bob,
    )
    Thread.objects.filter(pk=linked.pk).update(
        status=Thread.Status.SOLVED,
        linked_fix=Thread.LinkedFix.PENDING,
        linked_fix_at=monday + timedelta(days=5, hours=3),
    )  # hand-made: the fix reached it 3 hours after asking
    question(
        category, "Asked today, answered within the hour", NOW - timedelta(hours=3), reply_after=1, staff=bob
    )
    question(category, "Asked this morning, waiting", NOW - timedelta(hours=2))
    # The actions stamp some moments with the real clock; put them back in the story's.
    for stamp in ("last_activity_at", "deleted_at", "marked_solved_at"):
        Thread.objects.filter(**{f"{stamp}__gt": NOW}).update(**{stamp: NOW - timedelta(hours=1)})
    for n in range(40):
        at = datetime(2026, 2, 26, tzinfo=UTC) + timedelta(hours=13 * n)
        AskAttempt.objects.create(
            token=f"t{n}", created_at=at, suggestions_shown=n % 3,
            opened_at=at if n % 2 else None, posted_at=at if n % 5 == 0 else None,
        )  # fmt: skip


def same(a: insights.Bucket, b: insights.Bucket) -> None:
    counts = ("start", "asked", "decided", "within_24h", "waiting_over_24h", "solved", "shown", "prevented",
              "kb_people", "fix_people")  # fmt: skip
    assert [getattr(a, c) for c in counts] == [getattr(b, c) for c in counts]
    for name in ("reply_p50", "reply_p90", "solution_p50", "solution_p90"):
        exact, read = getattr(a, name), getattr(b, name)
        assert (exact is None) == (read is None), name
        if exact is not None:
            assert read == pytest.approx(exact, rel=figures.ALPHA, abs=0.5 / 60), name


def both(start: date, end: date, category=None, now=NOW) -> tuple[insights.Report, insights.Report]:
    figures.ENABLED = False
    try:
        rows = insights.report(start, end, category, now=now)
    finally:
        figures.ENABLED = True
    return rows, insights.report(start, end, category, now=now)


def assert_same(start, end, category=None, now=NOW) -> insights.Report:
    rows, days = both(start, end, category, now)
    assert [w.start for w in rows.weeks] == [w.start for w in days.weeks]
    for a, b in zip(rows.weeks, days.weeks, strict=True):
        same(a, b)
    same(rows.total, days.total)
    return days


# --- the buckets --------------------------------------------------------------------------


def test_a_bucket_stands_for_its_values_within_alpha():
    assert pytest.approx(0.0054, abs=1e-4) == figures.ALPHA
    rng = random.Random(7)
    for hours in [1 / 60, 1, 2, 3, 4, 24, 30, 48, 24 * 400] + [rng.expovariate(1 / 12) for _ in range(2000)]:
        read = figures.bucket_hours(figures.bucket(hours))
        if hours >= 1 / 60:
            assert abs(read - hours) <= figures.ALPHA * hours * (1 + 1e-9)
        else:
            assert abs(read - hours) <= 0.5 / 60
    assert figures.bucket(0) == 0 and figures.bucket(1 / 60) == 1


def test_a_percentile_over_buckets_is_the_nearest_rank_bucket():
    hist = figures.Counter(figures.bucket(h) for h in [1, 2, 3, 4, 30])
    assert figures.percentile(hist, 5, 50) == pytest.approx(3, rel=figures.ALPHA)
    assert figures.percentile(hist, 5, 90) == pytest.approx(30, rel=figures.ALPHA)
    assert figures.percentile(figures.Counter(), 0, 50) is None
    values = [random.Random(3).lognormvariate(1, 2) for _ in range(999)]
    hist = figures.Counter(figures.bucket(v) for v in values)
    for p in (50, 90):
        assert figures.percentile(hist, len(values), p) == pytest.approx(
            insights.percentile(values, p), rel=figures.ALPHA
        )


# --- the stored path gives the row path's numbers -----------------------------------------


def test_the_built_days_give_the_row_paths_numbers(month, category, other_category):
    assert figures.build_all(FIRST, YESTERDAY, NOW) == (YESTERDAY - FIRST).days + 1
    stored = figures.read(*insights.bounds(FIRST, date(2026, 3, 20)), None, NOW)
    assert (stored.first, stored.last) == (FIRST, YESTERDAY)
    report = assert_same(FIRST, date(2026, 3, 20))
    assert report.total.asked == 19
    assert report.total.waiting_over_24h == 1  # the three-day wait; the 20-hour one is not decided
    assert report.total.solved == 4
    week = {w.start: w for w in report.weeks}[date(2026, 3, 2)]
    assert week.asked == 12  # five known, Sunday 23:30, the clock change, three solved, two others
    for area in (category, other_category):
        assert_same(FIRST, date(2026, 3, 20), area)
    assert_same(date(2026, 3, 4), date(2026, 3, 12))  # a range starting and ending mid-week
    assert_same(date(2026, 3, 8), date(2026, 3, 8))  # one Sunday in New York
    assert_same(date(2026, 2, 1), date(2026, 3, 20))  # days before the first built one: read live


def test_a_question_still_waiting_crosses_24_hours_without_a_rebuild(month):
    figures.build_all(FIRST, YESTERDAY, NOW)
    before = assert_same(FIRST, date(2026, 3, 20)).total
    later = NOW + timedelta(hours=5)  # the 20-hour wait is now 25 hours: decided, not within 24 h
    after = assert_same(FIRST, date(2026, 3, 20), now=later).total
    assert after.decided == before.decided + 1
    assert after.waiting_over_24h == before.waiting_over_24h + 1
    assert after.within_24h == before.within_24h


def test_public_stats_read_the_built_days_too(month):
    figures.build_all(FIRST, YESTERDAY, NOW)
    figures.ENABLED = False
    try:
        rows = insights.public_stats(now=NOW)
    finally:
        figures.ENABLED = True
    cache.clear()
    days = insights.public_stats(now=NOW)
    assert rows.keys() == days.keys()
    for a, b in zip([rows["overall"], *rows["areas"]], [days["overall"], *days["areas"]], strict=True):
        assert (a["name"], a["decided"], a["enough"], a["share_24h"]) == (
            b["name"],
            b["decided"],
            b["enough"],
            b["share_24h"],
        )
        assert (a["reply_p50"] is None) == (b["reply_p50"] is None)
        if a["reply_p50"] is not None:
            assert b["reply_p50"] == pytest.approx(a["reply_p50"], rel=figures.ALPHA)
    assert days["overall"]["enough"]


def test_days_built_in_another_time_zone_are_not_used(month, settings):
    figures.build_all(FIRST, YESTERDAY, NOW)
    settings.DESK_TIME_ZONE = "Europe/Berlin"
    assert figures.read(*insights.bounds(FIRST, YESTERDAY), None, NOW) is None
    assert_same(FIRST, date(2026, 3, 20))


def test_the_report_on_built_days_reads_a_fixed_number_of_queries(
    month, bob, category, django_assert_num_queries
):
    figures.build_all(FIRST, YESTERDAY, NOW)
    # The days; the questions not in them (PostgreSQL: the live day and the built days'
    # waiting questions in one query; SQLite: one each); the live day's ask-page visits;
    # the KB (2) and the linked fixes (2).
    queries = 7 if connection.vendor == "postgresql" else 8
    with django_assert_num_queries(queries):
        insights.report(FIRST, date(2026, 3, 20), now=NOW)
    for n in range(6):
        question(
            category,
            f"One more question number {n}",
            NOW - timedelta(days=n + 2),
            reply_after=n + 1,
            staff=bob,
        )
    figures.build_all(FIRST, YESTERDAY, NOW)
    with django_assert_num_queries(queries):
        insights.report(FIRST, date(2026, 3, 20), now=NOW)
    with django_assert_num_queries(6):  # built days only: no live day, no ask-page query
        insights.report(FIRST, date(2026, 3, 15), now=NOW)


# --- the beat job and the command ----------------------------------------------------------


def stored_rows() -> list[tuple]:
    return sorted(
        DailyFigure.objects.values_list(
            "day", "category_id", "time_zone", "asked", "replied", "replied_24h", "reply_hours", "solved",
            "solution_hours", "shown", "prevented",
        ),
        key=lambda r: (r[0], r[1] or 0),
    )  # fmt: skip


def test_the_beat_job_is_idempotent(month):
    figures.build_all(FIRST, YESTERDAY, NOW)
    built = stored_rows()
    assert figures.refresh(NOW) == figures.RECENT_DAYS
    assert stored_rows() == built
    assert figures.refresh(NOW + timedelta(minutes=10)) == figures.RECENT_DAYS
    assert stored_rows() == built
    assert DailyFigure.objects.filter(category__isnull=True).count() == (YESTERDAY - FIRST).days + 1


def test_the_beat_job_picks_up_a_late_reply_on_an_older_question(month, bob, category):
    old = question(category, "Asked three weeks ago, answered only now", NOW - timedelta(days=20))
    figures.build_all(FIRST, YESTERDAY, NOW)
    day = old.created_at.astimezone(figures.zone()).date()
    assert day < YESTERDAY - timedelta(days=figures.RECENT_DAYS)  # outside the recent days
    later = NOW + timedelta(minutes=30)
    forum_actions.add_answer(old, bob, "Sorry for the wait: here is the fix.", created_at=later)
    Thread.objects.filter(pk=old.pk).update(last_activity_at=later)
    figures.refresh(later + timedelta(minutes=1))
    row = DailyFigure.objects.get(day=day, category=category)
    assert (row.asked, row.replied, row.replied_24h) == (1, 1, 0)
    assert_same(FIRST, date(2026, 3, 20), now=later + timedelta(minutes=2))


def test_the_beat_job_on_a_fresh_site_builds_the_recent_days_and_is_on_the_schedule(month):
    assert figures.refresh(NOW) == figures.RECENT_DAYS
    assert DailyFigure.objects.filter(category__isnull=True).count() == figures.RECENT_DAYS
    assert_same(FIRST, date(2026, 3, 20))  # the older days are read live
    entry = app.conf.beat_schedule["desk-refresh-daily-figures"]
    assert entry["task"] == "desk.tasks.refresh_daily_figures"


def test_the_command_builds_from_the_first_question_to_yesterday(db, category, bob):
    from django.utils import timezone

    now = timezone.now()
    question(category, "Asked ten days ago", now - timedelta(days=10), reply_after=2, staff=bob)
    call_command("build_daily_figures", verbosity=0)
    days = DailyFigure.objects.filter(category__isnull=True)
    yesterday = now.astimezone(figures.zone()).date() - timedelta(days=1)
    assert days.count() in (10, 11)  # the first question's day in New York to yesterday
    assert max(days.values_list("day", flat=True)) == yesterday
    call_command("build_daily_figures", "--since", "2026-01-01", "--until", "2026-01-07", verbosity=0)
    assert DailyFigure.objects.filter(day__lte=date(2026, 1, 7), category__isnull=True).count() == 7
    with pytest.raises(CommandError):
        call_command("build_daily_figures", "--since", "last week")


def test_the_stored_histograms_are_flat_bucket_count_pairs(month, category):
    figures.build_all(FIRST, YESTERDAY, NOW)
    row = DailyFigure.objects.get(day=date(2026, 3, 2), category=category)
    assert row.asked == 5 and row.replied == 5 and row.replied_24h == 4
    pairs = dict(zip(row.reply_hours[::2], row.reply_hours[1::2], strict=True))
    assert pairs == {figures.bucket(h): 1 for h in (1, 2, 3, 4, 30)}
    assert math.isclose(figures.bucket_hours(max(pairs)), 30, rel_tol=figures.ALPHA)


def test_the_task_refreshes_the_recent_days(db):
    from desk.tasks import refresh_daily_figures

    assert refresh_daily_figures() == figures.RECENT_DAYS
    assert refresh_daily_figures() == figures.RECENT_DAYS  # again: the same rows
    assert DailyFigure.objects.filter(category__isnull=True).count() == figures.RECENT_DAYS


def test_stats_on_built_days_reads_a_fixed_number_of_queries(client, bob, category, other_category):
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    def cold_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get("/stats/").status_code == 200
        sql = [q["sql"] for q in cold.captured_queries]
        return sum(1 for q in sql if "forum_" in q or "kb_" in q or "desk_dailyfigure" in q)

    now = timezone.now()
    for n in range(6):
        question(
            category, f"Question number {n} about sync", now - timedelta(days=n + 2), reply_after=2, staff=bob
        )
    call_command("build_daily_figures", verbosity=0)
    # The days; the questions not in them (PostgreSQL: one query; SQLite: today, then the
    # waiting ones); the areas; the KB's helpful voters.
    expected = 4 if connection.vendor == "postgresql" else 5
    assert cold_queries() == expected
    for n in range(12):
        question(
            other_category, f"Another question {n}", now - timedelta(days=n + 2), reply_after=30, staff=bob
        )
    question(category, "Waiting for three days", now - timedelta(days=3))
    call_command("build_daily_figures", verbosity=0)
    assert cold_queries() == expected
    stats = client.get("/stats/").context["stats"]
    assert stats["overall"]["decided"] == 19 and stats["overall"]["enough"]


def test_the_csv_and_the_page_show_the_same_numbers_from_built_days(month, bob_client):
    import csv
    import io

    figures.build_all(FIRST, YESTERDAY, NOW)
    query = {"start": "2026-02-23", "end": "2026-03-19"}
    page = bob_client.get("/desk/insights/", query)
    rows = list(
        csv.reader(
            io.StringIO(bob_client.get("/desk/insights/", {**query, "format": "csv"}).content.decode())
        )
    )
    assert len(rows) == 1 + len(page.context["rows"]) + 1
    for line, row in zip(rows[1:], [*page.context["rows"], page.context["total"]], strict=True):
        csv_row = dict(zip(rows[0], line, strict=True))
        assert csv_row["Questions asked"] == str(row["asked"])
        for title, key in (
            ("First staff reply p50 (h)", "reply_p50"),
            ("Time to solution p90 (h)", "solution_p90"),
        ):
            assert csv_row[title] == ("" if row[key] is None else str(row[key]))
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert total["Questions asked"] == "17"  # the range ends before today: built days only
