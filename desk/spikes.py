"""Spike alerts (issue 13, item 3; docs/insights.md, "Spike alerts").

Every 15 minutes (desk.tasks.detect_spikes, on the beat schedule in config/celery.py)
each group -- a duplicate cluster, a product area (Category), a tag -- has its **events**
(new visible customer questions plus me-too votes on visible questions) counted in two
windows, the last hour and the last day, and each count is compared with that group's own
baseline by a one-sided Poisson tail probability:

    p = P(X >= observed | X ~ Poisson(expected))

An alert is raised when p < ALPHA and observed >= MIN_COUNT[window].

The counting is factored from the statistic: `slot_counts` reads the rows once and bins
every group's events into 15-minute slots by age; `judge` takes one group's slots and
returns its verdict without touching the database, so a simulated month of traffic can be
fed to it directly (tests/desk/test_spikes.py).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from forum.models import Category, MeToo, Tag, TaggedThread, Thread

SLOT = timedelta(minutes=15)
SLOTS_PER_HOUR = 4
SLOTS_PER_DAY = 96
BASELINE_DAYS = 28
# Slots read: the last day (the windows) and the 28 days before it (the baseline). The
# baseline ends where the day window starts, so a spike never raises its own baseline.
HISTORY_SLOTS = SLOTS_PER_DAY * (1 + BASELINE_DAYS)

# One test per group, window and run: ~ 2 windows x 2,880 runs a month. ALPHA = 1e-6 keeps
# the expected false alarms under one a month up to ~170 groups even if every test were
# independent (2 x 2,880 x 170 x 1e-6 = 0.98); consecutive runs share 3/4 of their hour,
# so the real figure is lower (docs/insights.md, "Spike alerts").
ALPHA = 1e-6
# An alert needs at least this many events in its window, so a quiet group (a new tag,
# a small cluster) does not alert on a handful of questions.
MIN_COUNT = {"hour": 10, "day": 30}
# The baseline rate never counts as less than this (events per hour): a group with no
# history at all expects 0.25 an hour, 6 a day.
FLOOR_RATE = 0.25
# Back to normal for this long (no window significant) and the alert ends; only then can
# the same group open a new one.
QUIET = timedelta(hours=6)

KINDS = ("cluster", "category", "tag")
WINDOWS = {"hour": SLOTS_PER_HOUR, "day": SLOTS_PER_DAY}
WINDOW_WORDS = {"hour": "in the last hour", "day": "in the last day"}


# --- the statistic ----------------------------------------------------------------------------


def poisson_tail(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu), accurate for tiny tails (summed upward from k in
    log space, not 1 - CDF)."""
    if k <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    if k <= mu:  # the tail is large; 1 - CDF loses nothing here
        term = math.exp(-mu)
        cdf = term
        for i in range(1, k):
            term *= mu / i
            cdf += term
        return max(0.0, 1.0 - cdf)
    log_term = -mu + k * math.log(mu) - math.lgamma(k + 1)
    total, ratio, i = 1.0, 1.0, k
    while True:
        i += 1
        ratio *= mu / i
        total += ratio
        if ratio < 1e-16 * total:
            break
    return min(1.0, math.exp(log_term) * total)


def upper_rate(events: int, hours: float) -> float:
    """The baseline rate plus two standard errors, (B + 2 sqrt(B) + 1) / T events per hour:
    a rate estimated from few events is taken on the high side, so its noise does not turn
    into false alarms."""
    return (events + 2 * math.sqrt(events) + 1) / hours


@dataclass(frozen=True)
class Verdict:
    window: str  # "hour" or "day"
    observed: int
    expected: float
    p_value: float

    @property
    def is_spike(self) -> bool:
        return self.observed >= MIN_COUNT[self.window] and self.p_value < ALPHA


def judge(slots) -> Verdict:
    """One group's verdict from its slot counts (slots[0] is the last 15 minutes, slots[i]
    the 15 minutes starting i slots earlier; HISTORY_SLOTS long, missing ones are 0).
    Returns the hour's verdict if it is a spike, else the day's if that is, else the
    hour's (the smaller p-value decides between two spikes)."""
    slots = list(slots) + [0] * (HISTORY_SLOTS - len(slots))
    base = slots[SLOTS_PER_DAY:HISTORY_SLOTS]
    base_hours = BASELINE_DAYS * 24
    overall = upper_rate(sum(base), base_hours)
    # The same hour of the day on each of the 28 baseline days (a daily pattern).
    same_hour = sum(sum(slots[d * SLOTS_PER_DAY : d * SLOTS_PER_DAY + SLOTS_PER_HOUR]) for d in range(1, 29))
    hour_rate = max(overall, upper_rate(same_hour, BASELINE_DAYS), FLOOR_RATE)
    day_rate = max(overall, FLOOR_RATE)
    hour_n = sum(slots[:SLOTS_PER_HOUR])
    day_n = sum(slots[:SLOTS_PER_DAY])
    hour = Verdict("hour", hour_n, hour_rate, poisson_tail(hour_n, hour_rate))
    day = Verdict("day", day_n, day_rate * 24, poisson_tail(day_n, day_rate * 24))
    spikes = [v for v in (hour, day) if v.is_spike]
    return min(spikes, key=lambda v: v.p_value) if spikes else hour


# --- the counts ----------------------------------------------------------------------------


def slot_counts(now: datetime) -> dict[tuple[str, int], list[int]]:
    """{(kind, group id): slot counts} for every group with an event in the last 29 days.
    Four queries: the questions, the me-toos (each with its question's area and cluster),
    the tags of those questions."""
    since = now - SLOT * HISTORY_SLOTS
    # Customers' questions only, as for every insights figure: the team's own are no signal.
    questions = Thread.objects.visible().filter(
        created_at__gte=since, created_at__lt=now, author__role=User.Role.CUSTOMER
    )
    events: list[tuple[int, datetime, int, int | None]] = []
    for pk, at, area, cluster in questions.values_list(
        "pk", "created_at", "category_id", "cluster_membership__cluster_id"
    ):
        events.append((pk, at, area, cluster))
    votes = MeToo.objects.filter(
        created_at__gte=since, created_at__lt=now, thread__is_deleted=False
    ).values_list("thread_id", "created_at", "thread__category_id", "thread__cluster_membership__cluster_id")
    events.extend(votes)
    thread_ids = {e[0] for e in events}
    tags: dict[int, list[int]] = defaultdict(list)
    if thread_ids:
        for thread_id, tag_id in TaggedThread.objects.filter(content_object_id__in=thread_ids).values_list(
            "content_object_id", "tag_id"
        ):
            tags[thread_id].append(tag_id)
    found: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0] * HISTORY_SLOTS)
    for thread_id, at, area, cluster in events:
        slot = int((now - at) / SLOT)
        if not 0 <= slot < HISTORY_SLOTS:
            continue
        keys = [("category", area), *(("tag", t) for t in tags.get(thread_id, ()))]
        if cluster is not None:
            keys.append(("cluster", cluster))
        for key in keys:
            found[key][slot] += 1
    return found


# --- the alerts ------------------------------------------------------------------------------


def labels(keys) -> dict[tuple[str, int], str]:
    """A readable name per group: the area's and tag's names, "Cluster N"."""
    wanted = defaultdict(set)
    for kind, pk in keys:
        wanted[kind].add(pk)
    names: dict[tuple[str, int], str] = {}
    if wanted["category"]:
        for pk, name in Category.objects.filter(pk__in=wanted["category"]).values_list("pk", "name"):
            names[("category", pk)] = name
    if wanted["tag"]:
        for pk, name in Tag.objects.filter(pk__in=wanted["tag"]).values_list("pk", "name"):
            names[("tag", pk)] = f"Tag {name}"
    for pk in wanted["cluster"]:
        names[("cluster", pk)] = f"Cluster {pk}"
    return names


def detect(now: datetime | None = None) -> list:
    """The beat's call: judge every group, extend open alerts, open new ones (queuing
    their emails in the same transaction), end those quiet for QUIET. Returns the alerts
    opened by this run."""
    from desk import notifications
    from desk.models import Alert

    now = now or timezone.now()
    verdicts = {key: judge(slots) for key, slots in slot_counts(now).items()}
    spiking = {key: v for key, v in verdicts.items() if v.is_spike}
    opened = []
    with transaction.atomic():
        open_alerts = {
            (a.kind, a.group_id): a for a in Alert.objects.select_for_update().filter(ended_at=None)
        }
        for key, alert in open_alerts.items():
            verdict = spiking.get(key)
            if verdict is not None:  # the same spike goes on: extend it, do not repeat it
                alert.last_seen_at = now
                alert.peak_observed = max(alert.peak_observed, verdict.observed)
                alert.save(update_fields=["last_seen_at", "peak_observed"])
            elif now - alert.last_seen_at >= QUIET:
                alert.ended_at = now
                alert.save(update_fields=["ended_at"])
        names = labels([k for k in spiking if k not in open_alerts])
        for key, verdict in sorted(spiking.items()):
            if key in open_alerts:
                continue
            try:
                with transaction.atomic():
                    alert = Alert.objects.create(
                        kind=key[0],
                        group_id=key[1],
                        label=names.get(key, f"{key[0]} {key[1]}")[:120],
                        window=verdict.window,
                        observed=verdict.observed,
                        peak_observed=verdict.observed,
                        expected=verdict.expected,
                        p_value=verdict.p_value,
                        started_at=now,
                        last_seen_at=now,
                    )
            except IntegrityError:
                continue  # a run racing this one opened it
            notifications.record_spike(alert)
            opened.append(alert)
    return opened


def open_alerts():
    from desk.models import Alert

    return Alert.objects.filter(ended_at=None).order_by("-started_at", "pk")


def recent_alerts(limit: int = 20):
    from desk.models import Alert

    return Alert.objects.order_by("-started_at", "-pk")[:limit]
