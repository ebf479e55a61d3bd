"""The queue and the workload: the desk's reads, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from desk import priority
from desk.models import Claim, StaffProfile, Team
from forum.models import Thread

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


def queue_rows(user, filters: Filters, t: priority.Tiers):
    """A values() queryset of queue rows in priority order (one row per thread, or per
    cluster: its waiting threads grouped under the cluster's negated id)."""
    threads = Thread.objects.waiting()
    if filters.category:
        threads = threads.filter(category__slug=filters.category)
    if filters.areas:
        threads = threads.filter(category_id__in=filters.areas)
    if filters.tag:
        threads = threads.filter(tags__slug=filters.tag)
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
    return rows.annotate(
        taken=Case(
            When(holder__isnull=True, team__isnull=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        overdue=t.overdue_sql(),
        points=t.points_sql(),
        tier=t.tier_sql(),
    ).order_by("taken", "-overdue", "-points", "-people", "since", "key")


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
        .filter(Q(pk__in=solo) | Q(cluster_membership__cluster_id__in=clusters))
        .select_related("category", "author", "cluster_membership", "desk_claim__holder", "desk_claim__team")
        .prefetch_related("tags")
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
