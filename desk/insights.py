"""Response metrics (issue 13, items 1 and 2): computed from the rows, per week and per
product area, over any date range. The definitions, in plain words, are in
docs/insights.md; this module is the one place that computes them, for /desk/insights/,
its CSV and the public /stats/ page.

- Weeks start on Monday 00:00 in the team's time zone (settings.DESK_TIME_ZONE), and a
  question belongs to the week (and the date range) of the moment it was asked there.
- Durations are real elapsed time between two stored instants (aware datetimes), so a
  daylight-saving change neither adds nor removes an hour.
- Percentiles are by the nearest-rank method: the p-th percentile of n sorted values is
  the ceil(p/100 * n)-th of them (1-based), always a value that was observed.

Rows are read once per metric family (a fixed number of queries, see `report`) and
bucketed here: percentiles cannot be added up from per-day sums, so the reply and
solution times are read per thread, through the thread_created index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import User
from forum.models import Category, MeToo, Thread
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
class Bucket:
    """The figures of one week (or of the whole range) for one selection of areas."""

    start: date | None = None
    asked: int = 0
    reply_hours: list[float] = field(default_factory=list)  # decided threads only
    within_24h: int = 0
    waiting_over_24h: int = 0
    solution_hours: list[float] = field(default_factory=list)
    shown: int = 0
    prevented: int = 0
    kb_people: int = 0
    fix_people: int = 0

    @property
    def decided(self) -> int:
        """Threads whose "within 24 h?" is known: replied to, or waiting for over 24 h."""
        return len(self.reply_hours)

    @property
    def reply_p50(self) -> float | None:
        return percentile(self.reply_hours, 50)

    @property
    def reply_p90(self) -> float | None:
        return percentile(self.reply_hours, 90)

    @property
    def share_24h(self) -> float | None:
        return share(self.within_24h, self.decided)

    @property
    def solved(self) -> int:
        return len(self.solution_hours)

    @property
    def solution_p50(self) -> float | None:
        return percentile(self.solution_hours, 50)

    @property
    def solution_p90(self) -> float | None:
        return percentile(self.solution_hours, 90)

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
    return rows.filter(category_id=category_id) if category_id else rows


def _replies(buckets, since, until, category_id, now) -> None:
    """Time to the team's first reply, and whether it came within 24 h. A thread counts
    once it is decided: the team replied (at `first_staff_response_at`), or it is still
    waiting for staff with no reply after 24 h (counted at its wait so far, a lower bound,
    and as not answered within 24 h). Threads nobody waits on any more that never had a
    team reply (solved by the community, locked) are left out. One query."""
    rows = (
        _threads(since, until, category_id)
        .filter(Q(first_staff_response_at__isnull=False) | Q(waiting_since__isnull=False))
        .values_list("created_at", "first_staff_response_at")
    )
    for asked, replied in rows:
        hours = ((replied or now) - asked).total_seconds() / 3600
        if replied is None and hours <= 24:
            continue  # still inside its first 24 h: not decided yet
        for b in (buckets(asked), buckets(None)):
            b.reply_hours.append(max(hours, 0.0))
            if replied is not None and hours <= 24:
                b.within_24h += 1
            if replied is None:
                b.waiting_over_24h += 1


def _asked(buckets, since, until, category_id) -> None:
    weeks = (
        _threads(since, until, category_id)
        .annotate(week=TruncWeek("created_at", tzinfo=zone()))
        .order_by()
        .values("week")
        .annotate(n=Count("id"))
    )
    for row in weeks:
        buckets(row["week"]).asked += row["n"]
        buckets(None).asked += row["n"]


def _solutions(buckets, since, until, category_id) -> None:
    """Time to solution for the questions solved now: from asking to the earliest of the
    accepted answer being written, a visible official answer being written, or the
    question being solved through a linked question. One query."""
    rows = (
        _threads(since, until, category_id)
        .filter(status=Thread.Status.SOLVED)
        .annotate(
            official=Min("posts__created_at", filter=Q(posts__is_official=True, posts__is_deleted=False))
        )
        .values_list("created_at", "accepted_post__created_at", "official", "linked_fix", "linked_fix_at")
    )
    linked = {Thread.LinkedFix.PENDING, Thread.LinkedFix.CONFIRMED}
    for asked, accepted, official, linked_fix, linked_at in rows:
        moments = [m for m in (accepted, official, linked_at if linked_fix in linked else None) if m]
        if not moments:
            continue
        hours = max((min(moments) - asked).total_seconds() / 3600, 0.0)
        buckets(asked).solution_hours.append(hours)
        buckets(None).solution_hours.append(hours)


def _deflection(buckets, since, until, now) -> None:
    """search's own definition (search/queries.py): of the ask-page visits that were
    shown suggestions, those that opened one and did not post, once SETTLE_TIME passed.
    All areas: a visit to the ask page has no area yet. One query."""
    weeks = (
        AskAttempt.objects.filter(created_at__gte=since, created_at__lt=until, suggestions_shown__gt=0)
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
    """Every metric, per week of [start, end] and over all of it: 8 queries."""
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
    _asked(buckets, since, until, category_id)
    _replies(buckets, since, until, category_id, now)
    _solutions(buckets, since, until, category_id)
    _deflection(buckets, since, until, now)
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
    per_area: dict[int, Bucket] = {}
    overall = Bucket()
    rows = (
        Thread.objects.filter(
            is_deleted=False, author__role=User.Role.CUSTOMER, created_at__gte=since, created_at__lt=until
        )
        .filter(Q(first_staff_response_at__isnull=False) | Q(waiting_since__isnull=False))
        .values_list("category_id", "created_at", "first_staff_response_at")
    )
    for category_id, asked, replied in rows:
        hours = ((replied or now) - asked).total_seconds() / 3600
        if replied is None and hours <= 24:
            continue
        for b in (per_area.setdefault(category_id, Bucket()), overall):
            b.reply_hours.append(max(hours, 0.0))
            if replied is not None and hours <= 24:
                b.within_24h += 1
    minimum = settings.INSIGHTS_MIN_GROUP

    def figure(name: str, b: Bucket) -> dict:
        enough = b.decided >= minimum
        return {
            "name": name,
            "decided": b.decided,
            "enough": enough,
            "reply_p50": b.reply_p50 if enough else None,
            "share_24h": b.share_24h if enough else None,
        }

    areas = [
        figure(c.name, per_area.get(c.pk, Bucket()))
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
        "overall": figure("All areas", overall),
        "areas": areas,
        "kb_people": kb if kb >= minimum else None,
        "month": month,
        "minimum": minimum,
    }
    cache.set(PUBLIC_CACHE_KEY, stats, settings.INSIGHTS_PUBLIC_CACHE_SECONDS)
    return stats
