"""Response metrics (issue 13, items 1 and 2): computed from the rows, per week and per
product area, over any date range. The definitions, in plain words, are in
docs/insights.md; this module (with desk/figures.py, its per-day figures) is the one
place that computes them, for /desk/insights/, its CSV and the public /stats/ page.

- Weeks start on Monday 00:00 in the team's time zone (settings.DESK_TIME_ZONE), and a
  question belongs to the week (and the date range) of the moment it was asked there.
- Durations are real elapsed time between two stored instants (aware datetimes), so a
  daylight-saving change neither adds nor removes an hour.
- Percentiles are by the nearest-rank method: the p-th percentile of n sorted values is
  the ceil(p/100 * n)-th of them (1-based), always a value that was observed.

Reply and solution times, questions asked and ask-page visits come from per-day figures
kept by a beat job (desk/figures.py: histograms, because percentiles cannot be added up
from daily sums) plus what those leave out, read live; with no day built, from the rows
in a fixed number of queries, as the tests of both paths check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import User
from desk import figures
from forum.models import Category, MeToo, Post, Thread
from kb.models import Article, HelpfulVote
from search.models import AskAttempt
from search.queries import SETTLE_TIME

DAY = timedelta(hours=24)
MAX_WEEKS = 106  # a date range longer than two years is cut to its last two years
PUBLIC_CACHE_KEY = "insights:public:v1"
PUBLIC_DAYS = 30


def zone() -> ZoneInfo:
    return ZoneInfo(settings.DESK_TIME_ZONE)


def percentile(values: list[float], p: float) -> float | None:
    """Nearest rank: the ceil(p/100 * n)-th smallest value; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def week_of(moment: datetime) -> date:
    """The Monday (in the team's time zone) of the week `moment` falls in."""
    day = moment.astimezone(zone()).date()
    return day - timedelta(days=day.weekday())


@dataclass
class Times:
    """Durations of one group, summarised: how many, and their p50 / p90 in hours."""

    count: int = 0
    p50: float | None = None
    p90: float | None = None
    within_24h: int = 0  # reply times only
    waiting_over_24h: int = 0  # reply times only

    @classmethod
    def of(cls, hours: list[float], within_24h: int = 0, waiting_over_24h: int = 0) -> Times:
        return cls(len(hours), percentile(hours, 50), percentile(hours, 90), within_24h, waiting_over_24h)


@dataclass
class Bucket:
    """The figures of one week (or of the whole range) for one selection of areas."""

    start: date | None = None
    asked: int = 0
    replies: Times = field(default_factory=Times)  # decided threads only
    solutions: Times = field(default_factory=Times)
    shown: int = 0
    prevented: int = 0
    kb_people: int = 0
    fix_people: int = 0

    @property
    def decided(self) -> int:
        """Threads whose "within 24 h?" is known: replied to, or waiting for over 24 h."""
        return self.replies.count

    @property
    def reply_p50(self) -> float | None:
        return self.replies.p50

    @property
    def reply_p90(self) -> float | None:
        return self.replies.p90

    @property
    def within_24h(self) -> int:
        return self.replies.within_24h

    @property
    def waiting_over_24h(self) -> int:
        return self.replies.waiting_over_24h

    @property
    def share_24h(self) -> float | None:
        return share(self.within_24h, self.decided)

    @property
    def solved(self) -> int:
        return self.solutions.count

    @property
    def solution_p50(self) -> float | None:
        return self.solutions.p50

    @property
    def solution_p90(self) -> float | None:
        return self.solutions.p90

    @property
    def deflection(self) -> float | None:
        return share(self.prevented, self.shown)


@dataclass
class Report:
    start: date
    end: date  # inclusive
    category: Category | None
    weeks: list[Bucket]
    total: Bucket


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the team's time zone."""
    tz = zone()
    return datetime.combine(start, time(), tz), datetime.combine(end + timedelta(days=1), time(), tz)


def clamp_range(start: date, end: date) -> tuple[date, date]:
    if end < start:
        start, end = end, start
    if (end - start).days > MAX_WEEKS * 7:
        start = end - timedelta(days=MAX_WEEKS * 7)
    return start, end


def _threads(since: datetime, until: datetime, category_id: int | None):
    rows = Thread.objects.filter(
        is_deleted=False, author__role=User.Role.CUSTOMER, created_at__gte=since, created_at__lt=until
    )
    rows = rows.order_by()  # bucketed in Python: no sort needed
    return rows.filter(category_id=category_id) if category_id else rows


def _reply_rows(since, until, category_id):
    """The questions whose reply time counts, before the 24 h rule: replied to by the
    team, or still waiting for staff."""
    return _threads(since, until, category_id).filter(
        Q(first_staff_response_at__isnull=False) | Q(waiting_since__isnull=False)
    )


def reply_times(since, until, category_id, now, *, by: str = "week") -> dict:
    """Time to the team's first reply, and whether it came within 24 h, per week (or per
    area, `by="category"`), with the total under the key None. A thread counts once it is
    decided: the team replied (at `first_staff_response_at`), or it is still waiting for
    staff with no reply after 24 h (counted at its wait so far, a lower bound, and as not
    answered within 24 h). Threads nobody waits on any more that never had a team reply
    (solved by the community, locked) are left out. One query."""
    groups: dict = {}
    for key, asked, replied in _reply_rows(since, until, category_id).values_list(
        "category_id" if by == "category" else "created_at", "created_at", "first_staff_response_at"
    ):
        hours = ((replied or now) - asked).total_seconds() / 3600
        if replied is None and hours <= 24:
            continue  # still inside its first 24 h: not decided yet
        for k in (week_of(key) if by == "week" else key, None):
            hours_list, counts = groups.setdefault(k, ([], [0, 0]))
            hours_list.append(max(hours, 0.0))
            counts[0] += replied is not None and hours <= 24
            counts[1] += replied is None
    return {k: Times.of(h, within, waiting) for k, (h, (within, waiting)) in groups.items()}


def _sql_filters(category_id) -> str:
    return " AND th.category_id = %(category)s" if category_id else ""


def _key(by: str) -> str:
    if by == "category":
        return "th.category_id"
    return "date_trunc('week', th.created_at AT TIME ZONE %(tz)s)::date"


def solution_times(since, until, category_id) -> dict:
    """Time to solution for the questions solved now, per week asked (total under None):
    from asking to the earliest of the accepted answer being written, a visible official
    answer being written, or the question being solved through a linked question. One
    query."""
    rows = (
        _threads(since, until, category_id)
        .filter(status=Thread.Status.SOLVED)
        .annotate(
            official=Min("posts__created_at", filter=Q(posts__is_official=True, posts__is_deleted=False))
        )
        .values_list("created_at", "accepted_post__created_at", "official", "linked_fix", "linked_fix_at")
    )
    linked = {Thread.LinkedFix.PENDING, Thread.LinkedFix.CONFIRMED}
    groups: dict = {}
    for asked, accepted, official, linked_fix, linked_at in rows:
        moments = [m for m in (accepted, official, linked_at if linked_fix in linked else None) if m]
        if not moments:
            continue
        hours = max((min(moments) - asked).total_seconds() / 3600, 0.0)
        groups.setdefault(week_of(asked), []).append(hours)
        groups.setdefault(None, []).append(hours)
    return {k: Times.of(h) for k, h in groups.items()}


def _thread_figures_sql(since, until, category_id, now, by) -> dict:
    """PostgreSQL: questions asked, reply times and solution times in one pass over the
    range's threads (the created_at index), summarised in the database: percentile_disc
    is the nearest-rank percentile, and reading 30,000 timestamps into Python costs more
    than the query (bench/insights_bench.py). The same definitions as reply_times,
    solution_times and _asked, which SQLite uses; the tests run on both.
    Returns {key: (asked, replies, solutions)}, the total under None (ROLLUP)."""
    thread, user, post = Thread._meta.db_table, User._meta.db_table, Post._meta.db_table
    sql = f"""
        WITH t AS MATERIALIZED (
            SELECT {_key(by)} AS k,
                   th.first_staff_response_at IS NOT NULL AS replied,
                   (th.first_staff_response_at IS NOT NULL
                    OR (th.waiting_since IS NOT NULL AND %(now)s - th.created_at > interval '24 hours')) AS decided,
                   GREATEST(date_part('epoch', COALESCE(th.first_staff_response_at, %(now)s) - th.created_at)
                            / 3600.0, 0) AS hours,
                   CASE WHEN th.status = %(solved)s THEN GREATEST(date_part('epoch', LEAST(
                       (SELECT ap.created_at FROM {post} ap WHERE ap.id = th.accepted_post_id),
                       (SELECT min(p.created_at) FROM {post} p
                        WHERE p.thread_id = th.id AND p.is_official AND NOT p.is_deleted),
                       CASE WHEN th.linked_fix IN (%(pending)s, %(confirmed)s) THEN th.linked_fix_at END
                   ) - th.created_at) / 3600.0, 0) END AS solution
            FROM {thread} th JOIN {user} u ON u.id = th.author_id
            WHERE NOT th.is_deleted AND u.role = %(customer)s
              AND th.created_at >= %(since)s AND th.created_at < %(until)s{_sql_filters(category_id)}
        )
        SELECT k, count(*),
               count(*) FILTER (WHERE decided),
               percentile_disc(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE decided),
               percentile_disc(0.9) WITHIN GROUP (ORDER BY hours) FILTER (WHERE decided),
               count(*) FILTER (WHERE decided AND replied AND hours <= 24),
               count(*) FILTER (WHERE decided AND NOT replied),
               count(solution),
               percentile_disc(0.5) WITHIN GROUP (ORDER BY solution) FILTER (WHERE solution IS NOT NULL),
               percentile_disc(0.9) WITHIN GROUP (ORDER BY solution) FILTER (WHERE solution IS NOT NULL)
        FROM t
        GROUP BY ROLLUP (k)
    """  # noqa: S608 - our table names and fixed fragments only; every value is a parameter
    params = {
        "now": now, "since": since, "until": until, "tz": settings.DESK_TIME_ZONE,
        "customer": User.Role.CUSTOMER, "category": category_id, "solved": Thread.Status.SOLVED,
        "pending": Thread.LinkedFix.PENDING, "confirmed": Thread.LinkedFix.CONFIRMED,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    def hours(value):
        return None if value is None else float(value)

    return {
        k: (
            asked,
            Times(decided, hours(r50), hours(r90), within, waiting),
            Times(solved, hours(s50), hours(s90)),
        )
        for k, asked, decided, r50, r90, within, waiting, solved, s50, s90 in rows
        if k is not None or asked  # ROLLUP's total row, also there for no rows at all
    }


def thread_figures(since, until, category_id, now, *, by: str = "week", stored=None) -> dict:
    """{week (or area) key: (asked, reply Times, solution Times)}, the total under None.
    From the per-day rows when `stored` (desk/figures.py, `read`) covers part of the range:
    the rest is read live, in one query. Without: PostgreSQL one query; SQLite three
    (solutions only by week)."""
    if stored is not None:
        return _figures_from_days(stored, category_id, now, by)
    if connection.vendor == "postgresql":
        return _thread_figures_sql(since, until, category_id, now, by)
    asked = _asked(since, until, category_id, by)
    replies = reply_times(since, until, category_id, now, by=by)
    solutions = solution_times(since, until, category_id) if by == "week" else {}
    return {
        k: (asked.get(k, 0), replies.get(k, Times()), solutions.get(k, Times()))
        for k in {*asked, *replies, *solutions}
    }


def _figures_from_days(stored: figures.Stored, category_id, now, by: str) -> dict:
    """The per-day rows (stored, plus what is read live) added up per week or area, and
    their percentiles read from the merged histograms (within figures.ALPHA)."""
    live = figures.live(stored, now, category_id)
    groups: dict = {}

    def group(day, area) -> figures.Tally:
        k = area if by == "category" else day - timedelta(days=day.weekday())
        g = groups.get(k)
        if g is None:
            g = groups[k] = figures.Tally()
        return g

    for day, area, asked, replied, within, reply_hours, solved, solution_hours in stored.rows:
        g = group(day, area)
        g.asked += asked
        g.decided += replied
        g.within_24h += within
        g.solved += solved
        figures.merge(g.replies, reply_hours)
        figures.merge(g.solutions, solution_hours)
    for (day, area), t in live.items():
        group(day, area).add(t)
    total = figures.Tally()
    for t in groups.values():
        total.add(t)
    if total.asked or total.decided:
        groups[None] = total

    def times(hist, n, within=0, waiting=0) -> Times:
        return Times(n, figures.percentile(hist, n, 50), figures.percentile(hist, n, 90), within, waiting)

    return {
        k: (t.asked, times(t.replies, t.decided, t.within_24h, t.waiting), times(t.solutions, t.solved))
        for k, t in groups.items()
    }


def _asked(since, until, category_id, by: str = "week") -> dict:
    """Questions asked, per week (or area), the total under None. One query."""
    rows = _threads(since, until, category_id)
    if by == "category":
        rows = rows.values("category_id").annotate(n=Count("id")).values_list("category_id", "n")
    else:
        rows = (
            rows.annotate(week=TruncWeek("created_at", tzinfo=zone()))
            .values("week")
            .annotate(n=Count("id"))
            .values_list("week", "n")
        )
    counts: dict = {}
    for key, n in rows:
        key = week_of(key) if by == "week" else key
        counts[key] = counts.get(key, 0) + n
        counts[None] = counts.get(None, 0) + n
    return counts


def _deflection(buckets, since, until, now, stored=None) -> None:
    """search's own definition (search/queries.py): of the ask-page visits that were
    shown suggestions, those that opened one and did not post, once SETTLE_TIME passed.
    All areas: a visit to the ask page has no area yet. One query (none when the per-day
    rows cover the whole range)."""
    spans = [(since, until)]
    if stored is not None:
        spans = stored.live_spans
        for day, (shown, prevented) in stored.deflection.items():
            for b in (buckets(day - timedelta(days=day.weekday())), buckets(None)):
                b.shown += shown
                b.prevented += prevented
        if not spans:
            return
    when = Q()
    for a, b in spans:
        when |= Q(created_at__gte=a, created_at__lt=b)
    weeks = (
        AskAttempt.objects.filter(when, suggestions_shown__gt=0)
        .annotate(week=TruncWeek("created_at", tzinfo=zone()))
        .order_by()
        .values("week")
        .annotate(
            shown=Count("id"),
            prevented=Count(
                "id",
                filter=Q(opened_at__isnull=False, posted_at__isnull=True, created_at__lt=now - SETTLE_TIME),
            ),
        )
    )
    for row in weeks:
        for b in (buckets(row["week"]), buckets(None)):
            b.shown += row["shown"]
            b.prevented += row["prevented"]


def _kb_people(buckets, since, until, category_id) -> None:
    """People who said "Yes, it helped" on a published article that week (each voter
    once a week; once over the range in the total). Two queries."""
    votes = HelpfulVote.objects.filter(
        helpful=True, created_at__gte=since, created_at__lt=until, article__status=Article.Status.PUBLISHED
    )
    if category_id:
        votes = votes.filter(article__category_id=category_id)
    for row in (
        votes.annotate(week=TruncWeek("created_at", tzinfo=zone()))
        .order_by()
        .values("week")
        .annotate(n=Count("voter", distinct=True))
    ):
        buckets(row["week"]).kb_people = row["n"]
    buckets(None).kb_people = votes.order_by().values("voter").distinct().count()


def _fix_people(buckets, since, until, category_id) -> None:
    """People reached by a linked fix: the askers and me-too voters of the questions
    solved through a linked question (docs/forum.md) when they were marked so, each once
    a week (once over the range in the total). Two queries."""
    marked = Thread.objects.filter(
        is_deleted=False,
        linked_fix__in=[Thread.LinkedFix.PENDING, Thread.LinkedFix.CONFIRMED],
        linked_fix_at__gte=since,
        linked_fix_at__lt=until,
    )
    if category_id:
        marked = marked.filter(category_id=category_id)
    people: dict[date | None, set[int]] = {}
    for author_id, at in marked.values_list("author_id", "linked_fix_at"):
        people.setdefault(week_of(at), set()).add(author_id)
        people.setdefault(None, set()).add(author_id)
    voters = MeToo.objects.filter(thread__in=marked).values_list("user_id", "thread__linked_fix_at")
    for user_id, at in voters:
        people.setdefault(week_of(at), set()).add(user_id)
        people.setdefault(None, set()).add(user_id)
    for key, who in people.items():
        buckets(key).fix_people = len(who)


def report(start: date, end: date, category: Category | None = None, now: datetime | None = None) -> Report:
    """Every metric, per week of [start, end] and over all of it. From the rows: 7 queries
    on PostgreSQL, 9 on SQLite (thread_figures); with the per-day figures built
    (desk/figures.py): 7 on PostgreSQL, 8 on SQLite (the range's days, the questions they
    leave out, the live part's ask-page visits, then the KB and the linked fixes)."""
    now = now or timezone.now()
    start, end = clamp_range(start, end)
    since, until = bounds(start, end)
    first = start - timedelta(days=start.weekday())
    weeks: dict[date, Bucket] = {}
    day = first
    while day <= end:
        weeks[day] = Bucket(start=day)
        day += timedelta(days=7)
    total = Bucket()

    def buckets(key) -> Bucket:
        if key is None:
            return total
        if isinstance(key, datetime):
            key = week_of(key) if key.tzinfo else key.date()
        return weeks.setdefault(key, Bucket(start=key))

    category_id = category.pk if category else None
    stored = figures.read(since, until, category_id, now)
    for key, (asked, replies, solutions) in thread_figures(
        since, until, category_id, now, stored=stored
    ).items():
        bucket = buckets(key)
        bucket.asked, bucket.replies, bucket.solutions = asked, replies, solutions
    _deflection(buckets, since, until, now, stored)
    _kb_people(buckets, since, until, category_id)
    _fix_people(buckets, since, until, category_id)
    return Report(
        start=start,
        end=end,
        category=category,
        weeks=sorted(weeks.values(), key=lambda b: b.start),
        total=total,
    )


# --- the public /stats/ page ---------------------------------------------------------------


def public_stats(now: datetime | None = None) -> dict:
    """The last 30 days, for everyone: aggregates only, nothing for a group of fewer
    than INSIGHTS_MIN_GROUP decided questions, and the KB's people helped this month
    (shown only from INSIGHTS_MIN_GROUP people). Kept in the cache for
    INSIGHTS_PUBLIC_CACHE_SECONDS; a plain dict so that any cache can keep it."""
    cached = cache.get(PUBLIC_CACHE_KEY)
    if cached is not None:
        return cached
    now = now or timezone.now()
    today = now.astimezone(zone()).date()
    start = today - timedelta(days=PUBLIC_DAYS - 1)
    since, until = bounds(start, today)
    times = {
        k: replies
        for k, (_asked, replies, _solutions) in thread_figures(
            since, until, None, now, by="category", stored=figures.read(since, until, None, now)
        ).items()
    }
    minimum = settings.INSIGHTS_MIN_GROUP

    def figure(name: str, t: Times) -> dict:
        enough = t.count >= minimum
        return {
            "name": name,
            "decided": t.count,
            "enough": enough,
            "reply_p50": t.p50 if enough else None,
            "share_24h": share(t.within_24h, t.count) if enough else None,
        }

    areas = [
        figure(c.name, times.get(c.pk, Times()))
        for c in Category.objects.order_by("position", "name").only("name", "position")
    ]
    month = today.replace(day=1)
    kb = (
        HelpfulVote.objects.filter(
            helpful=True,
            created_at__gte=bounds(month, today)[0],
            created_at__lt=until,
            article__status=Article.Status.PUBLISHED,
        )
        .order_by()
        .values("voter")
        .distinct()
        .count()
    )
    stats = {
        "since": start,
        "until": today,
        "overall": figure("All areas", times.get(None, Times())),
        "areas": areas,
        "kb_people": kb if kb >= minimum else None,
        "month": month,
        "minimum": minimum,
    }
    cache.set(PUBLIC_CACHE_KEY, stats, settings.INSIGHTS_PUBLIC_CACHE_SECONDS)
    return stats
