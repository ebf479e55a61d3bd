"""The queue's priority: people affected and time waited, through escalation tiers.

docs/desk.md explains it with a worked example. In short, for one row of the queue (a
thread, or a whole cluster of duplicates):

- people  = the people affected, each once (the cluster's, for a cluster);
- wait    = support time since the row's wait began (its earliest waiting thread);
- tier    = 1 under the first threshold (4 h), 2 under the second (24 h), 3 under the
            third (72 h), 4 past it ("overdue");
- points  = people x 2^(tier - 1)  (each tier doubles what a person weighs).

Order: overdue rows first (nothing starves: past the last tier, a row is never below a
row in a lower tier), then points, then people, then the longer wait, then the older row.
So more people at the same wait rank higher, and a longer wait with the same people
ranks higher (it is in the same or a higher tier; within a tier, the longer wait wins
the tie).

Everything the database needs is a comparison of the stored `waiting_since` with three
cut-off moments computed once per request from the support hours (hours.cutoff), so
the order is one SQL expression and support hours cost nothing per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Case, F, IntegerField, Value, When

from desk.hours import SupportHours, support_hours


@dataclass(frozen=True)
class Tiers:
    thresholds: tuple[int, ...]  # hours, ascending
    cutoffs: tuple[datetime, ...]  # the moments a wait must have begun by, per threshold
    now: datetime
    hours: SupportHours

    @property
    def last(self) -> int:
        return len(self.thresholds) + 1

    def weight(self, tier: int) -> int:
        return 2 ** (tier - 1)

    def tier_of(self, since: datetime) -> int:
        tier = 1
        for cutoff in self.cutoffs:
            if since <= cutoff:
                tier += 1
        return tier

    def waited_hours(self, since: datetime) -> float:
        return self.hours.seconds_between(since, self.now) / 3600

    def bounds(self, tier: int) -> tuple[datetime | None, datetime | None]:
        """(after, at_or_before): a tier's waits began after the first moment (None: no
        bound) and at or before the second."""
        at_or_before = self.cutoffs[tier - 2] if tier >= 2 else None
        after = self.cutoffs[tier - 1] if tier - 1 < len(self.cutoffs) else None
        return after, at_or_before

    # --- SQL ---------------------------------------------------------------------------

    def tier_sql(self, since: str = "since"):
        whens = [
            When(**{f"{since}__lte": cutoff}, then=Value(tier))
            for tier, cutoff in sorted(
                ((i + 2, c) for i, c in enumerate(self.cutoffs)), key=lambda tc: -tc[0]
            )
        ]
        return Case(*whens, default=Value(1), output_field=IntegerField())

    def points_sql(self, since: str = "since", people: str = "people"):
        whens = [
            When(**{f"{since}__lte": cutoff}, then=F(people) * self.weight(i + 2))
            for i, cutoff in reversed(list(enumerate(self.cutoffs)))
        ]
        return Case(*whens, default=F(people) * 1, output_field=IntegerField())

    def overdue_sql(self, since: str = "since"):
        return Case(When(**{f"{since}__lte": self.cutoffs[-1]}, then=Value(1)), default=Value(0),
                    output_field=IntegerField())  # fmt: skip


def tiers(now: datetime) -> Tiers:
    hours = support_hours()
    thresholds = tuple(sorted(settings.DESK_TIERS))
    return Tiers(
        thresholds=thresholds,
        cutoffs=tuple(hours.cutoff(now, h * 3600) for h in thresholds),
        now=now,
        hours=hours,
    )


def why(people: int, since: datetime, t: Tiers) -> str:
    """The row's reason, e.g. "14 people affected · waiting 19 h · tier 2 · 28 points" (people
    affected in the words of every other page: docs/forum.md, "People affected")."""
    tier = t.tier_of(since)
    hours = t.waited_hours(since)
    waited = f"{int(hours * 60)} min" if hours < 1 else f"{int(hours)} h"
    label = f"tier {tier}" if tier < t.last else f"overdue (past {t.thresholds[-1]} h)"
    points = people * t.weight(tier)
    person = "person" if people == 1 else "people"
    return f"{people} {person} affected · waiting {waited} · {label} · {points} point{'' if points == 1 else 's'}"
