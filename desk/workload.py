"""/desk/team/: who is carrying how much, today and over the last 7 days.

A guard against burnout, not a leaderboard: people are listed by name (never ranked
by output), and the page is for staff only. Someone is flagged when their load — open
claims plus replies in the last 7 days — is more than 1.5x the team's median, or when
they are at the claim cap. A fixed number of queries, whatever the team's size.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from accounts.models import User
from desk.models import Claim, StaffProfile, Team
from forum.models import Post

FLAG_FACTOR = 1.5


@dataclass
class Person:
    user: User
    on_duty: bool = True
    replies_today: int = 0
    replies_week: int = 0
    official_today: int = 0
    official_week: int = 0
    open_claims: int = 0
    first_responses: list[float] = field(default_factory=list)  # hours, last 7 days
    repeated: int = 0  # replies this week on clusters they had answered before
    flags: list[str] = field(default_factory=list)

    @property
    def load(self) -> int:
        return self.open_claims + self.replies_week

    @property
    def median_first_response(self) -> float | None:
        return statistics.median(self.first_responses) if self.first_responses else None


def team_workload(now: datetime) -> list[Person]:
    local_midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    week = now - timedelta(days=7)
    staff = list(User.objects.filter(is_active=True, role=User.Role.STAFF).order_by("display_name", "pk"))
    people = {u.pk: Person(user=u) for u in staff}
    for user_id, on_duty in StaffProfile.objects.filter(user_id__in=people).values_list("user_id", "on_duty"):
        people[user_id].on_duty = on_duty
    replies = (
        Post.objects.visible()
        .filter(author_id__in=people, created_at__gte=week)
        .values("author_id")
        .annotate(week=Count("pk"), today=Count("pk", filter=Q(created_at__gte=local_midnight)))
    )
    for r in replies:
        people[r["author_id"]].replies_week = r["week"]
        people[r["author_id"]].replies_today = r["today"]
    official = (
        Post.objects.visible()
        .filter(official_by_id__in=people, official_at__gte=week)
        .values("official_by_id")
        .annotate(week=Count("pk"), today=Count("pk", filter=Q(official_at__gte=local_midnight)))
    )
    for r in official:
        people[r["official_by_id"]].official_week = r["week"]
        people[r["official_by_id"]].official_today = r["today"]
    for holder_id, items in (
        Claim.objects.filter(holder_id__in=people)
        .values("holder_id")
        .annotate(items=Count("item", distinct=True))
        .values_list("holder_id", "items")
    ):
        people[holder_id].open_claims = items
    # First responses: the team's first answer on a thread, if it was theirs, this week.
    firsts = Post.objects.filter(
        author_id__in=people,
        created_at=F("thread__first_staff_response_at"),
        created_at__gte=week,
    ).values_list("author_id", "created_at", "thread__created_at")
    for author_id, answered, asked in firsts:
        people[author_id].first_responses.append((answered - asked).total_seconds() / 3600)
    # Repeated firefighting: a reply this week in a cluster where they had answered
    # another thread before.
    clustered = (
        Post.objects.visible()
        .filter(author_id__in=people, thread__cluster_membership__isnull=False)
        .order_by("created_at")
        .values_list("author_id", "thread_id", "thread__cluster_membership__cluster_id", "created_at")
    )
    answered: dict[tuple[int, int], set[int]] = {}
    for author_id, thread_id, cluster_id, created in clustered:
        before = answered.setdefault((author_id, cluster_id), set())
        if created >= week and before - {thread_id}:
            people[author_id].repeated += 1
        before.add(thread_id)
    team = list(people.values())
    median = statistics.median([p.load for p in team]) if team else 0
    for p in team:
        if p.open_claims >= settings.DESK_CLAIM_CAP:
            p.flags.append(f"at the cap of {settings.DESK_CLAIM_CAP} claims")
        if median and p.load > FLAG_FACTOR * median:
            p.flags.append(f"carrying {p.load / median:.2f} times the team median")
    return team


def teams() -> list[Team]:
    """The teams claims can be handed to, with their members, areas and open claims (a
    cluster taken at once counted once). Three queries, however many teams."""
    members = User.objects.filter(is_active=True).order_by("display_name", "pk")
    return list(
        Team.objects.annotate(open_claims=Count("claims__item", distinct=True))
        .prefetch_related(Prefetch("members", queryset=members), "areas")
        .order_by("name")
    )
