"""The queue and the workload: the desk's reads, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from desk import priority
from desk.models import Claim, StaffProfile, Team
from duplicates.models import ClusterMembership
from forum.models import TaggedThread, Thread

SHOW = {"unclaimed": "Unclaimed", "mine": "Mine", "all": "All"}


@dataclass
class Filters:
    show: str = "unclaimed"
    category: str = ""
    tag: str = ""
    tier: int | None = None
    areas: list[int] | None = None  # category ids ("Next": the staff member's areas)


@dataclass
class Row:
    """One line of the queue: a thread, or a cluster of duplicates (key < 0)."""

    key: int
    since: datetime
    people: int
    points: int
    tier: int
    holder_id: int | None
    size: int
    team_id: int | None = None
    threads: list[Thread] = field(default_factory=list)
    why: str = ""

    @property
    def is_cluster(self) -> bool:
        return self.key < 0

    @property
    def cluster_id(self) -> int | None:
        return -self.key if self.key < 0 else None

    @property
    def lead(self) -> Thread | None:
        """The thread "Take it" names: the one waiting longest."""
        return self.threads[0] if self.threads else None

    @property
    def is_taken(self) -> bool:
        return self.holder_id is not None or self.team_id is not None

    @property
    def claim(self) -> Claim | None:
        for t in self.threads:
            claim = getattr(t, "desk_claim", None)
            if claim is not None:
                return claim
        return None

    @property
    def holder(self):
        claim = self.claim
        return claim.holder if claim is not None else None

    @property
    def team(self) -> Team | None:
        claim = self.claim
        return claim.team if claim is not None else None


def _waiting(filters: Filters):
    """The waiting threads the filters keep (product area, tag, the person's areas)."""
    threads = Thread.objects.waiting()
    if filters.category:
        threads = threads.filter(category__slug=filters.category)
    if filters.areas:
        threads = threads.filter(category_id__in=filters.areas)
    if filters.tag:
        threads = threads.filter(tags__slug=filters.tag)
    return threads


def _grouped(threads, user, filters: Filters, t: priority.Tiers, *, ranked: bool = True):
    """Group waiting threads into queue rows (a cluster's under its negated id), with
    the show and tier filters; ranked: with taken, overdue, points and tier, in priority
    order (else the caller ranks them: _ranked)."""
    rows = (
        threads.annotate(
            key=Case(
                When(cluster_membership__isnull=False, then=-F("cluster_membership__cluster_id")),
                default=F("pk"),
                output_field=IntegerField(),
            ),
            row_people=Coalesce("cluster_membership__cluster__people_count", "people_count"),
        )
        .order_by()
        .values("key")
        .annotate(
            since=Min("waiting_since"),
            people=Max("row_people"),
            holder=Max("desk_claim__holder_id"),
            team=Max("desk_claim__team_id"),
            size=Count("pk", distinct=True),
        )
    )
    if filters.show == "unclaimed":
        rows = rows.filter(holder__isnull=True, team__isnull=True)
    elif filters.show == "mine":
        # Held by me, or by a team I am in (a subquery: still one query).
        my_teams = Team.members.through.objects.filter(user_id=user.pk).values("team_id")
        rows = rows.filter(Q(holder=user.pk) | Q(team__in=my_teams))
    if filters.tier:
        after, at_or_before = t.bounds(filters.tier)
        if after is not None:
            rows = rows.filter(since__gt=after)
        if at_or_before is not None:
            rows = rows.filter(since__lte=at_or_before)
    if not ranked:
        return rows
    return rows.annotate(
        taken=Case(
            When(holder__isnull=True, team__isnull=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        overdue=t.overdue_sql(),
        points=t.points_sql(),
        tier=t.tier_sql(),
    ).order_by(*ORDER)


# The queue's order (docs/desk.md, "The priority"), by the names of a row's values.
ORDER = ("taken", "-overdue", "-points", "-people", "since", "key")


def queue_rows(user, filters: Filters, t: priority.Tiers):
    """Every queue row, as a values() queryset in priority order: one row per thread, or
    per cluster (its waiting threads grouped under the cluster's negated id).

    The queue's definition, in one GROUP BY over all the waiting threads. The page and
    "Next" read the same rows through queue_page, which gets there without grouping
    them all; tests check that the two agree."""
    return _grouped(_waiting(filters), user, filters, t)


def sort_key(row: dict) -> tuple:
    """ORDER for a row dict (queue_rows' values, or queue_page's)."""
    return (row["taken"], -row["overdue"], -row["points"], -row["people"], row["since"], row["key"])


def _as_datetime(value) -> datetime:
    """A timestamp read through a plain cursor: SQLite gives it as text or as a naive
    datetime, in UTC (Django stores it so)."""
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def _ranked(row: dict, t: priority.Tiers) -> dict:
    """Add what _grouped(ranked=True) computes in SQL: taken, overdue, points, tier."""
    tier = t.tier_of(row["since"])
    row["taken"] = int(row["holder"] is not None or row["team"] is not None)
    row["overdue"] = int(tier == t.last)
    row["points"] = row["people"] * t.weight(tier)
    row["tier"] = tier
    return row


def _solo_row(key: int, since: datetime, people: int, t: priority.Tiers) -> dict:
    row = {"key": key, "since": since, "people": people, "holder": None, "team": None, "size": 1}
    return _ranked(row, t)


def queue_page(
    user, filters: Filters, t: priority.Tiers, page: int = 1, per_page: int = 25, *, count: bool = True
) -> tuple[list[dict], int | None]:
    """One page of queue_rows (same rows, same order) and how many rows there are in all
    (None with count=False), in two queries whatever the number of waiting threads:

    1. the "special" rows, grouped as queue_rows does, but only over the waiting threads
       that are in a cluster or claimed (few: they are driven from the cluster memberships
       and the claims, not from the waiting threads);
    2. every other row is one unclaimed thread, whose tier, points and place follow from
       its own waiting_since and people_count. Within one tier the order is simply more
       people, then the longer wait, then the older thread, so for each tier the
       `offset + per_page` first such threads are read from the partial index
       (thread_waiting_people, a LIMIT per tier); their count comes with them (all the
       waiting threads kept, from thread_waiting_cover, less the clustered and claimed
       ones). One UNION ALL statement.

    The page is the merge of both, sorted by ORDER: a row of the page is among the first
    `offset + per_page` of its tier, so nothing before it can be missing."""
    offset = (page - 1) * per_page
    want = offset + per_page
    # At least 25 per tier even for "Next" (a page of one): with LIMIT 1, SQLite's planner
    # takes the tier's whole range from thread_waiting and sorts it (5 ms at 100k threads
    # instead of 0.1).
    per_tier = max(want, 25)
    threads = _waiting(filters)
    special_ids = ClusterMembership.objects.values("thread_id").union(
        Claim.objects.values("thread_id"), all=True
    )
    rows = [
        _ranked(row, t)
        for row in _grouped(threads.filter(pk__in=special_ids), user, filters, t, ranked=False)
    ]
    total = len(rows) if count else None
    if filters.show != "mine":  # the plain rows are unclaimed: none of them is "mine"
        # NOT EXISTS (not a LEFT JOIN ... IS NULL on the claim's id, which PostgreSQL cannot
        # turn into an anti-join, and then expects almost no row: it would sort every waiting
        # thread of a tier instead of reading the first ones from thread_waiting_people).
        plain = threads.filter(
            ~Exists(ClusterMembership.objects.filter(thread_id=OuterRef("pk"))),
            ~Exists(Claim.objects.filter(thread_id=OuterRef("pk"))),
        ).order_by()
        arms = []
        tiers = [filters.tier] if filters.tier else range(1, t.last + 1)
        for tier in tiers:
            after, at_or_before = t.bounds(tier)
            in_tier = plain
            if after is not None:
                in_tier = in_tier.filter(waiting_since__gt=after)
            if at_or_before is not None:
                in_tier = in_tier.filter(waiting_since__lte=at_or_before)
            arms.append(
                in_tier.order_by("-people_count", "waiting_since", "pk").values_list(
                    "pk", "waiting_since", "people_count"
                )[:per_tier]
            )
        sql, params = [], []
        for i, arm in enumerate(arms):
            arm_sql, arm_params = arm.query.sql_with_params()
            sql.append(f"SELECT 1 AS k, a{i}.* FROM ({arm_sql}) a{i}")  # noqa: S608 - ORM-compiled SQL, values as params
            params.extend(arm_params)
        if count:  # after the rows: their types decide the NULL columns' on PostgreSQL
            # All the waiting threads the filters keep (index only), less those in a cluster
            # or claimed (few, by primary key): cheaper than testing each waiting thread.
            counted = threads
            if filters.tier:
                after, at_or_before = t.bounds(filters.tier)
                if after is not None:
                    counted = counted.filter(waiting_since__gt=after)
                if at_or_before is not None:
                    counted = counted.filter(waiting_since__lte=at_or_before)
            for sign, part in ((1, counted), (-1, counted.filter(pk__in=special_ids))):
                arm_sql, arm_params = part.order_by().values_list("pk").query.sql_with_params()
                sql.append(f"SELECT 0 AS k, {sign} * COUNT(*) AS n, NULL AS s, NULL AS p FROM ({arm_sql}) c")  # noqa: S608 - as above
                params.extend(arm_params)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(sql), params)
            for kind, pk, since, people in cursor.fetchall():
                if kind == 0:
                    total += pk
                else:
                    rows.append(_solo_row(pk, _as_datetime(since), people, t))
    rows.sort(key=sort_key)
    return rows[offset:want], total


def load_rows(values: list[dict], t: priority.Tiers) -> list[Row]:
    """Turn a page of queue_rows into Rows with their waiting threads (one query + tags)."""
    rows = [
        Row(key=v["key"], since=v["since"], people=v["people"], points=v["points"], tier=v["tier"],
            holder_id=v["holder"], size=v["size"], team_id=v["team"])
        for v in values
    ]  # fmt: skip
    solo = [r.key for r in rows if r.key > 0]
    clusters = [-r.key for r in rows if r.key < 0]
    if not rows:
        return rows
    threads = (
        Thread.objects.waiting()
        # Two lookups by primary key (an OR across the membership join would scan every
        # waiting thread).
        .filter(
            Q(pk__in=solo)
            | Q(pk__in=ClusterMembership.objects.filter(cluster_id__in=clusters).values("thread_id"))
        )
        .select_related("category", "author", "cluster_membership", "desk_claim__holder", "desk_claim__team")
        # The tags through their rows, not taggit's manager (which builds a queryset per
        # thread while prefetching: 5 ms of a page).
        .prefetch_related(
            Prefetch(
                "tagged_items",
                queryset=TaggedThread.objects.select_related("tag").order_by("tag__name"),
                to_attr="desk_tagged",
            )
        )
        .order_by("waiting_since", "pk")
    )
    by_key = {r.key: r for r in rows}
    for thread in threads:
        membership = getattr(thread, "cluster_membership", None)
        key = (
            -membership.cluster_id
            if membership is not None and -membership.cluster_id in by_key
            else thread.pk
        )
        if key in by_key:
            by_key[key].threads.append(thread)
    for row in rows:
        row.why = priority.why(row.people, row.since, t)
    return rows


def open_claims(user) -> int:
    """Claims held, a cluster taken at once counted once."""
    return Claim.objects.filter(holder=user).values("item").distinct().count()


def profile_for(user) -> StaffProfile | None:
    return StaffProfile.objects.filter(user=user).prefetch_related("areas").first()


def areas_of(user) -> list[int]:
    """The product areas (category ids) the person covers, in one query; [] for all."""
    return list(
        StaffProfile.areas.through.objects.filter(staffprofile__user=user).values_list(
            "category_id", flat=True
        )
    )


def now() -> datetime:
    return timezone.now()


def pending_links(limit: int = 50):
    """Suggested duplicate links waiting for a staff decision (issue 10, item 4), the
    ones whose confirmation would reach the most people first: the people affected by
    both questions (each question's stored count), then the scorer's confidence."""
    from duplicates.models import DuplicateLink

    return list(
        DuplicateLink.objects.filter(
            state=DuplicateLink.State.SUGGESTED, low__is_deleted=False, high__is_deleted=False
        )
        .select_related("low", "high")
        .annotate(reach=F("low__people_count") + F("high__people_count"))
        .order_by("-reach", "-score", "pk")[:limit]
    )
