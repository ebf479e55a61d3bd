"""Per-day aggregates behind the insights (issue 13, "Speed"; docs/insights.md "Speed").

The beat job `desk.tasks.refresh_daily_figures` keeps one `DailyFigure` row per day and
product area (and one per day with no area) for every finished day; `manage.py
build_daily_figures` builds any range (the backfill). `read` hands desk/insights.py what
the rows hold for a range, and `collect` computes the same figures live from the
questions, for what the rows do not cover: the day in progress, days not built yet, and
the questions still waiting for staff (whose wait grows by the minute, so they are never
stored). The definitions are desk/insights.py's; the tests prove the two paths agree.

Reply and solution times are kept as histograms over fixed log-spaced buckets, because
a percentile cannot be added up from daily sums while histograms can: bucket 0 holds
durations under a minute, bucket b >= 1 holds [1 min x R^(b-1), 1 min x R^b) with
R = 2^(1/64). A percentile read from them is the nearest-rank bucket's harmonic middle,
within ALPHA = (R - 1) / (R + 1) = 0.54 % of the exact nearest-rank value (30 s under a
minute).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from accounts.models import User
from desk.models import DailyFigure
from forum.models import Post, Thread
from search.models import AskAttempt
from search.queries import SETTLE_TIME

STEPS = 64  # buckets per doubling
R = 2 ** (1 / STEPS)
ALPHA = (R - 1) / (R + 1)  # the largest relative error of a percentile read from buckets
RECENT_DAYS = 8  # the job recomputes the last 8 finished days every run: late replies
CATCH_UP_DAYS = 62  # ... and fills a gap since its last run of up to two months
LINKED = (Thread.LinkedFix.PENDING, Thread.LinkedFix.CONFIRMED)
# Off: every figure is read from the questions, as before the rows existed. Only the
# benchmark turns it off, to measure both paths on the same data in one run.
ENABLED = True


def zone() -> ZoneInfo:
    return ZoneInfo(settings.DESK_TIME_ZONE)


def bucket(hours: float) -> int:
    minutes = hours * 60
    if minutes < 1:
        return 0
    return 1 + math.floor(STEPS * math.log2(minutes))


def bucket_hours(b: int) -> float:
    """The value a bucket stands for: its harmonic middle (equal relative error to both
    ends); 30 s for bucket 0."""
    if b == 0:
        return 0.5 / 60
    low = R ** (b - 1) / 60
    return 2 * low * R / (1 + R)


def percentile(hist: Counter, n: int, p: float) -> float | None:
    """Nearest rank over a histogram: the bucket holding the ceil(p/100 * n)-th value."""
    if not n:
        return None
    rank, seen = max(1, math.ceil(p / 100 * n)), 0
    for b in sorted(hist):
        seen += hist[b]
        if seen >= rank:
            return bucket_hours(b)
    return None  # unreachable when n is the histogram's total


def flat(hist: Counter) -> list[int]:
    return [x for b in sorted(hist) for x in (b, hist[b])]


@dataclass
class Tally:
    """The question figures of one day (or week, or area): counts and histograms."""

    asked: int = 0
    decided: int = 0
    within_24h: int = 0
    waiting: int = 0  # decided: still waiting for staff after 24 h
    replies: Counter = field(default_factory=Counter)
    solved: int = 0
    solutions: Counter = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.asked += other.asked
        self.decided += other.decided
        self.within_24h += other.within_24h
        self.waiting += other.waiting
        self.replies.update(other.replies)
        self.solved += other.solved
        self.solutions.update(other.solutions)


@dataclass
class Stored:
    """What the rows hold for a range: the built days [first, last]; their area rows as
    read (day, area, asked, replied, within 24 h, reply histogram, solved, solution
    histogram; the histograms flat, added up by `merge`); per day the ask-page figures;
    and what `live` reads from the questions: the built days' waiting questions and the
    rest of the range."""

    first: date
    last: date
    rows: list[tuple]
    deflection: dict[date, tuple[int, int]]
    waiting_span: tuple[datetime, datetime]  # the built days, whose waiting questions are read live
    live_spans: list[tuple[datetime, datetime]]


def merge(hist: dict, pairs: list[int]) -> None:
    """Add a stored flat histogram [bucket, count, ...] into `hist`. The hot loop of a long
    range (a year of days and areas is some 100,000 pairs): plain dict arithmetic."""
    get = hist.get
    for i in range(0, len(pairs), 2):
        b = pairs[i]
        hist[b] = get(b, 0) + pairs[i + 1]


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = zone()
    return datetime.combine(first, time(), tz), datetime.combine(last + timedelta(days=1), time(), tz)


def _questions(spans: list[tuple[datetime, datetime]], category_id: int | None):
    when = Q()
    for since, until in spans:
        when |= Q(created_at__gte=since, created_at__lt=until)
    rows = Thread.objects.filter(when, is_deleted=False, author__role=User.Role.CUSTOMER).order_by()
    return rows.filter(category_id=category_id) if category_id else rows


def collect(
    spans, now: datetime, category_id: int | None = None, *, waiting: bool = True, only_waiting: bool = False
) -> dict:
    """{(day, area): Tally} of the customers' questions asked in `spans`, computed from the
    rows by desk/insights.py's definitions. `waiting=False` leaves out the questions still
    waiting for staff with no reply (what is stored); they are still counted as asked.
    `only_waiting=True` counts those alone, as decided reply times (what is read live).
    One query (none for no spans)."""
    if not spans:
        return {}
    tz = zone()
    rows = _questions(spans, category_id)
    if only_waiting:
        rows = rows.filter(first_staff_response_at__isnull=True, waiting_since__isnull=False)
    rows = rows.annotate(
        official=Min("posts__created_at", filter=Q(posts__is_official=True, posts__is_deleted=False))
    )
    tallies: dict = {}
    for asked, area, replied, waiting_since, status, accepted, official, linked_fix, linked_at in rows.values_list(
        "created_at", "category_id", "first_staff_response_at", "waiting_since", "status",
        "accepted_post__created_at", "official", "linked_fix", "linked_fix_at",
    ):  # fmt: skip
        t = tallies.get((day := asked.astimezone(tz).date(), area))
        if t is None:
            t = tallies[day, area] = Tally()
        t.asked += not only_waiting
        if replied is not None or (waiting and waiting_since is not None):
            hours = ((replied or now) - asked).total_seconds() / 3600
            if replied is not None or hours > 24:  # else: in its first 24 h, not decided yet
                t.decided += 1
                t.within_24h += replied is not None and hours <= 24
                t.waiting += replied is None
                t.replies[bucket(max(hours, 0.0))] += 1
        if status == Thread.Status.SOLVED and not only_waiting:
            moments = [m for m in (accepted, official, linked_at if linked_fix in LINKED else None) if m]
            if moments:
                t.solved += 1
                t.solutions[bucket(max((min(moments) - asked).total_seconds() / 3600, 0.0))] += 1
    return tallies


def live(stored: Stored, now: datetime, category_id: int | None) -> dict:
    """What the rows leave out, from the questions, as {(day, area): Tally}: everything
    asked in the live spans (the day in progress, days not built), and the questions of
    the built days still waiting for staff after 24 h with no reply. PostgreSQL: one query
    that buckets in the database (the waiting questions may be thousands); SQLite:
    `collect`, one query per part."""
    if connection.vendor != "postgresql":
        tallies = collect(stored.live_spans, now, category_id)
        for key, t in collect([stored.waiting_span], now, category_id, only_waiting=True).items():
            tallies.setdefault(key, Tally()).add(t)
        return tallies
    thread, user, post = Thread._meta.db_table, User._meta.db_table, Post._meta.db_table
    params = {
        "tz": settings.DESK_TIME_ZONE, "now": now, "customer": User.Role.CUSTOMER, "category": category_id,
        "ws": stored.waiting_span[0], "wu": stored.waiting_span[1], "solved": Thread.Status.SOLVED,
        "pending": Thread.LinkedFix.PENDING, "confirmed": Thread.LinkedFix.CONFIRMED,
    }  # fmt: skip
    spans = []
    for n, (since, until) in enumerate(stored.live_spans):
        spans.append(f"(th.created_at >= %(s{n})s AND th.created_at < %(u{n})s)")
        params[f"s{n}"], params[f"u{n}"] = since, until
    is_live = " OR ".join(spans) or "FALSE"
    area = " AND th.category_id = %(category)s" if category_id else ""

    def b(seconds: str) -> str:  # `bucket`, in SQL
        return f"CASE WHEN {seconds} < 60 THEN 0 ELSE 1 + floor({STEPS} * ln({seconds} / 60.0) / ln(2.0))::int END"

    sql = f"""
        WITH t AS MATERIALIZED (
            SELECT (th.created_at AT TIME ZONE %(tz)s)::date AS day, th.category_id AS area,
                   ({is_live}) AS live,
                   th.first_staff_response_at IS NOT NULL AS replied,
                   (th.first_staff_response_at IS NOT NULL
                    OR (th.waiting_since IS NOT NULL AND %(now)s - th.created_at > interval '24 hours')) AS decided,
                   GREATEST(date_part('epoch', COALESCE(th.first_staff_response_at, %(now)s) - th.created_at), 0) AS s,
                   CASE WHEN th.status = %(solved)s AND ({is_live}) THEN GREATEST(date_part('epoch', LEAST(
                       (SELECT ap.created_at FROM {post} ap WHERE ap.id = th.accepted_post_id),
                       (SELECT min(p.created_at) FROM {post} p
                        WHERE p.thread_id = th.id AND p.is_official AND NOT p.is_deleted),
                       CASE WHEN th.linked_fix IN (%(pending)s, %(confirmed)s) THEN th.linked_fix_at END
                   ) - th.created_at), 0) END AS solution
            FROM {thread} th JOIN {user} u ON u.id = th.author_id
            WHERE NOT th.is_deleted AND u.role = %(customer)s{area}
              AND (({is_live}) OR (th.created_at >= %(ws)s AND th.created_at < %(wu)s
                                   AND th.first_staff_response_at IS NULL AND th.waiting_since IS NOT NULL))
        )
        SELECT day, area, 'asked', 0, count(*) FROM t WHERE live GROUP BY 1, 2
        UNION ALL
        SELECT day, area, 'reply', {b("s")}, count(*) FROM t WHERE decided GROUP BY 1, 2, 4
        UNION ALL
        SELECT day, area, 'within', 0, count(*) FROM t WHERE decided AND replied AND s <= 86400 GROUP BY 1, 2
        UNION ALL
        SELECT day, area, 'waiting', 0, count(*) FROM t WHERE decided AND NOT replied GROUP BY 1, 2
        UNION ALL
        SELECT day, area, 'solution', {b("solution")}, count(*) FROM t WHERE solution IS NOT NULL GROUP BY 1, 2, 4
    """  # noqa: S608 - our table names and fixed fragments only; every value is a parameter
    tallies: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for day, area, kind, bucket_, n in cursor.fetchall():
            t = tallies.get((day, area))
            if t is None:
                t = tallies[day, area] = Tally()
            if kind == "asked":
                t.asked += n
            elif kind == "reply":
                t.decided += n
                t.replies[bucket_] += n
            elif kind == "within":
                t.within_24h += n
            elif kind == "waiting":
                t.waiting += n
            else:
                t.solved += n
                t.solutions[bucket_] += n
    return tallies


def read(since: datetime, until: datetime, category_id: int | None, now: datetime) -> Stored | None:
    """The stored figures for the questions asked in [since, until), or None when no day
    of it is built (then desk/insights.py reads the rows as before). The stored part is the
    last unbroken run of built finished days; `live_spans` are the rest (the day in
    progress, days not built yet), to be read from the rows with the waiting questions
    (`live`). One query."""
    if not ENABLED:
        return None
    tz = settings.DESK_TIME_ZONE
    first = since.astimezone(zone()).date()
    last = min(
        (until - timedelta(microseconds=1)).astimezone(zone()).date(),
        now.astimezone(zone()).date() - timedelta(days=1),
    )
    if last < first:
        return None
    rows = DailyFigure.objects.filter(day__gte=first, day__lte=last, time_zone=tz)
    if category_id:
        rows = rows.filter(Q(category__isnull=True) | Q(category_id=category_id))
    rows = list(
        rows.values_list(
            "day", "category_id", "asked", "replied", "replied_24h", "reply_hours", "solved", "solution_hours",
            "shown", "prevented",
        )
    )  # fmt: skip
    built = {r[0] for r in rows if r[1] is None}
    if not built:
        return None
    end = max(built)
    begin = end
    while begin - timedelta(days=1) in built:
        begin -= timedelta(days=1)
    areas = [r[:8] for r in rows if r[1] is not None and begin <= r[0] <= end]
    deflection = {r[0]: (r[8], r[9]) for r in rows if r[1] is None and begin <= r[0] <= end}
    stored_since, stored_until = day_bounds(begin, end)
    spans = [(a, b) for a, b in ((since, stored_since), (stored_until, until)) if a < b]
    return Stored(begin, end, areas, deflection, (stored_since, stored_until), spans)


# --- building the rows --------------------------------------------------------------------


def _deflection_by_day(since: datetime, until: datetime, now: datetime) -> dict[date, tuple[int, int]]:
    """search's definition (search/queries.py), per day: visits shown suggestions, and
    those that opened one and did not post, once SETTLE_TIME passed. One query."""
    tz = zone()
    days: dict[date, list[int]] = {}
    for at, opened, posted in (
        AskAttempt.objects.filter(created_at__gte=since, created_at__lt=until, suggestions_shown__gt=0)
        .order_by()
        .values_list("created_at", "opened_at", "posted_at")
    ):
        counts = days.setdefault(at.astimezone(tz).date(), [0, 0])
        counts[0] += 1
        counts[1] += opened is not None and posted is None and at < now - SETTLE_TIME
    return {day: (shown, prevented) for day, (shown, prevented) in days.items()}


def build(first: date, last: date, now: datetime | None = None) -> int:
    """(Re)compute the rows of the days [first, last] from the questions, replacing what
    was there: running it twice leaves the same rows. Only finished days (before today in
    DESK_TIME_ZONE) are built. Three queries and the writes, in one transaction per call.
    Returns how many days were built."""
    now = now or timezone.now()
    last = min(last, now.astimezone(zone()).date() - timedelta(days=1))
    if last < first:
        return 0
    since, until = day_bounds(first, last)
    tallies = collect([(since, until)], now, waiting=False)
    deflection = _deflection_by_day(since, until, now)
    tz = settings.DESK_TIME_ZONE
    rows = []
    day = first
    while day <= last:
        shown, prevented = deflection.get(day, (0, 0))
        rows.append(
            DailyFigure(
                day=day, category=None, time_zone=tz, shown=shown, prevented=prevented, computed_at=now
            )
        )
        day += timedelta(days=1)
    for (day, area), t in tallies.items():
        rows.append(
            DailyFigure(
                day=day, category_id=area, time_zone=tz, asked=t.asked, replied=t.decided,
                replied_24h=t.within_24h, reply_hours=flat(t.replies), solved=t.solved,
                solution_hours=flat(t.solutions), computed_at=now,
            )
        )  # fmt: skip
    with transaction.atomic():
        DailyFigure.objects.filter(day__gte=first, day__lte=last).delete()
        DailyFigure.objects.bulk_create(rows, batch_size=1000)
    return (last - first).days + 1


def build_all(first: date, last: date, now: datetime | None = None, chunk_days: int = 31) -> int:
    """`build` in chunks of a month (the backfill: manage.py build_daily_figures)."""
    built = 0
    while first <= last:
        built += build(first, min(last, first + timedelta(days=chunk_days - 1)), now)
        first += timedelta(days=chunk_days)
    return built


def _runs(days: set[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] == day - timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def refresh(now: datetime | None = None) -> int:
    """The beat job: rebuild the last RECENT_DAYS finished days (a first reply or a
    solution on a week-old question moves its day's figures), the days of older
    questions that changed since the previous run (replied, answered, solved, marked,
    deleted), and a gap since the previous run of up to CATCH_UP_DAYS. Days never built
    are left to the backfill command, so the rows stay one unbroken run. Idempotent.
    Returns how many days were built."""
    now = now or timezone.now()
    tz = settings.DESK_TIME_ZONE
    yesterday = now.astimezone(zone()).date() - timedelta(days=1)
    first = yesterday - timedelta(days=RECENT_DAYS - 1)
    previous = DailyFigure.objects.filter(category__isnull=True, time_zone=tz).aggregate(
        at=Max("computed_at"), day=Max("day")
    )
    if previous["day"] is not None and previous["day"] < first:
        first = max(previous["day"] + timedelta(days=1), yesterday - timedelta(days=CATCH_UP_DAYS - 1))
    days = {first + timedelta(days=n) for n in range((yesterday - first).days + 1)}
    if previous["at"] is not None:
        since, _ = day_bounds(first, first)
        at = previous["at"]
        changed = Thread.objects.filter(
            Q(last_activity_at__gte=at) | Q(first_staff_response_at__gte=at) | Q(linked_fix_at__gte=at)
            | Q(deleted_at__gte=at) | Q(marked_solved_at__gte=at),
            created_at__lt=since,
        ).values_list("created_at", flat=True)  # fmt: skip
        older = {asked.astimezone(zone()).date() for asked in changed}
        days |= set(
            DailyFigure.objects.filter(category__isnull=True, time_zone=tz, day__in=older).values_list(
                "day", flat=True
            )
        )
    return sum(build(a, b, now) for a, b in _runs(days))
