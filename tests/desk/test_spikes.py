"""Spike alerts (issue 13, item 3; desk/spikes.py, docs/insights.md "Spike alerts").

The statistic is checked on synthetic traffic fed as slot counts (a seeded Poisson
background over a simulated month: no alert; spikes of the documented size: an alert at
the first run after the spike's hour), then end to end through the database: rows with
controlled created_at, the detector, the Alert row, the banner, the insights table, the
outbox emails to on-duty staff, once."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.text import slugify

from config.celery import app as celery_app
from desk import spikes
from desk.models import Alert, StaffProfile
from desk.notifications import SPIKE_JOB, handle_spike, unsubscribe_token
from desk.tasks import detect_spikes
from forum.models import MeToo, Tag, TaggedThread, Thread
from jobs.models import NotificationSent, PendingJob
from tests.conftest import make_user
from tests.jobs_helpers import run_pending

SLOTS_PER_DAY = spikes.SLOTS_PER_DAY
HISTORY = spikes.HISTORY_SLOTS


# --- the statistic -------------------------------------------------------------------------------


def _tail_by_sum(k: int, mu: float) -> float:
    return 1.0 - sum(math.exp(-mu) * mu**i / math.factorial(i) for i in range(k))


@pytest.mark.parametrize(("k", "mu"), [(0, 2.0), (1, 2.0), (3, 2.0), (6, 2.0), (8, 48.0), (60, 48.0)])
def test_poisson_tail_matches_the_sum_of_the_probabilities(k, mu):
    assert spikes.poisson_tail(k, mu) == pytest.approx(_tail_by_sum(k, mu), rel=1e-9, abs=1e-15)


def test_poisson_tail_is_accurate_far_in_the_tail():
    # P(X >= 15 | 2) = sum_{i >= 15} e^-2 2^i / i!, summed exactly with fractions-free floats
    exact = sum(math.exp(-2) * 2**i / math.factorial(i) for i in range(15, 80))
    assert spikes.poisson_tail(15, 2.0) == pytest.approx(exact, rel=1e-12)
    assert spikes.poisson_tail(15, 2.0) == pytest.approx(3.87e-9, rel=0.01)
    assert spikes.poisson_tail(1, 0.0) == 0.0


def test_the_worked_example_in_the_docs():
    """docs/insights.md: 2 events an hour for 28 days (1,344; 56 in the same hour of the
    day), 16 in the last hour."""
    slots = [0] * HISTORY
    slots[:4] = [4, 4, 4, 4]
    for i in range(SLOTS_PER_DAY, HISTORY):
        slots[i] = 1 if i % 2 else 0  # 2 an hour, 48 a day, 1,344 in 28 days
    slots[4:SLOTS_PER_DAY] = [1 if i % 2 else 0 for i in range(4, SLOTS_PER_DAY)]
    verdict = spikes.judge(slots)
    assert verdict.window == "hour"
    assert verdict.observed == 16
    # The day's rate: (1,344 + 2 sqrt(1,344) + 1) / 672 = 2.11 an hour; the same hour on the
    # 28 days: 56 events, (56 + 2 sqrt(56) + 1) / 28 = 2.57; the larger is expected.
    assert verdict.expected == pytest.approx((56 + 2 * math.sqrt(56) + 1) / 28)
    assert verdict.p_value == pytest.approx(1.56e-8, rel=0.01)
    assert verdict.is_spike


def test_a_quiet_group_needs_the_minimum_count():
    slots = [0] * HISTORY
    slots[0] = spikes.MIN_COUNT["hour"] - 1  # 9 events from nothing: p tiny, but too few
    assert spikes.judge(slots).p_value < spikes.ALPHA
    assert not spikes.judge(slots).is_spike
    slots[0] += 1
    assert spikes.judge(slots).is_spike


# --- synthetic traffic -----------------------------------------------------------------------------


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p < limit:
            return k
        k += 1


def _daily(slot: int) -> float:
    """Events an hour with a daily pattern: 1 at night, 3 in the afternoon, 2 on average."""
    hour = (slot % SLOTS_PER_DAY) / 4
    return 2 * (1 + 0.5 * math.sin(2 * math.pi * (hour - 9) / 24))


def _traffic(rng: random.Random, days: int, rate=lambda slot: 2.0) -> list[int]:
    """Oldest first: events in each 15-minute slot, Poisson at `rate` an hour."""
    return [_poisson(rng, rate(s) / 4) for s in range(days * SLOTS_PER_DAY)]


def _at(series: list[int], t: int) -> list[int]:
    """The detector's view at the start of slot t: newest slot first, HISTORY long."""
    return series[max(0, t - HISTORY) : t][::-1]


def test_a_steady_background_never_alerts_over_a_simulated_month():
    """10 product areas with a daily pattern (1 to 3 an hour, 2 on average) and 5 tags at
    0.6 an hour, after 29 days of history: the detector at every 15-minute run of 30 days
    (2,880 runs, 43,200 verdicts) raises nothing."""
    rng = random.Random(13)
    days = 29 + 30
    groups = [_traffic(rng, days, _daily) for _ in range(10)]
    groups += [_traffic(rng, days, lambda slot: 0.6) for _ in range(5)]
    alerts = 0
    smallest = 1.0
    for t in range(29 * SLOTS_PER_DAY, days * SLOTS_PER_DAY):
        for series in groups:
            verdict = spikes.judge(_at(series, t))
            alerts += verdict.is_spike
            if verdict.observed >= spikes.MIN_COUNT[verdict.window]:
                smallest = min(smallest, verdict.p_value)
    assert alerts == 0
    assert smallest > 100 * spikes.ALPHA  # a wide margin, not a near miss


def _first_alert(series: list[int], start: int, size: int) -> int | None:
    """Add `size` events spread over the hour from slot `start`; the first run (slot
    index it starts) that alerts, up to one run after the hour ends."""
    series = list(series)
    for i in range(size):
        series[start + (i * 4) // size] += 1
    for t in range(start + 1, start + 6):
        if spikes.judge(_at(series, t)).is_spike:
            return t
    return None


def test_a_spike_of_15_in_an_hour_against_2_an_hour_alerts_within_one_run():
    """15 extra questions and me-toos in one hour, at each hour of the day, on a 2/h
    background: the run at the end of that hour (at most 15 minutes after it) alerts."""
    rng = random.Random(31)
    series = _traffic(rng, 31)
    for hour in range(24):
        start = 29 * SLOTS_PER_DAY + hour * 4 + rng.randrange(4)
        first = _first_alert(series, start, 15)
        assert first is not None and first <= start + 4, hour


def test_a_spike_of_20_alerts_at_every_hour_of_a_daily_pattern():
    """With a daily pattern (3 an hour at its peak), 20 in an hour alerts at any hour."""
    rng = random.Random(37)
    series = _traffic(rng, 31, _daily)
    for hour in range(24):
        start = 29 * SLOTS_PER_DAY + hour * 4 + rng.randrange(4)
        first = _first_alert(series, start, 20)
        assert first is not None and first <= start + 4, hour


def test_a_slow_rise_over_a_day_alerts_on_the_day_window():
    """Twice the usual 2/h for a whole day (96 against 48) never makes one hour stand out,
    but the day does."""
    rng = random.Random(41)
    series = _traffic(rng, 29) + _traffic(rng, 1, lambda slot: 4.0)
    verdict = spikes.judge(_at(series, len(series)))
    assert verdict.is_spike and verdict.window == "day"


# --- through the database ----------------------------------------------------------------------------

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
_n = iter(range(1, 1_000_000))


def _threads(area, author, times, tags=()) -> list[Thread]:
    rows = []
    for at in times:
        n = next(_n)
        rows.append(
            Thread(
                title=f"Synthetic question {n}",
                slug=slugify(f"synthetic-{n}"),
                body_md="Details.",
                body_html="<p>Details.</p>",
                author=author,
                category=area,
                created_at=at,
                waiting_since=at,
            )
        )
    made = Thread.objects.bulk_create(rows)
    for tag in tags:
        TaggedThread.objects.bulk_create([TaggedThread(content_object=t, tag=tag) for t in made])
    return made


@pytest.fixture
def background(category, alice):
    """28 days of a steady 1 question an hour in Sync & accounts (seeded times), ending
    at NOW."""
    rng = random.Random(5)
    times = [NOW - timedelta(hours=h, minutes=rng.randrange(60)) for h in range(1, 29 * 24)]
    return _threads(category, alice, times)


@pytest.fixture
def off_duty(db):
    person = make_user("olive@example.com", "Olive", "staff")
    StaffProfile.objects.create(user=person, on_duty=False)
    return person


def _spike(category, alice, voters, minutes_ago=range(5, 55, 5), tags=()):
    """10 questions in the hour before NOW (or `minutes_ago`) and a me-too on each of the
    first four, 2 minutes after the newest: 14 events."""
    made = _threads(category, alice, [NOW - timedelta(minutes=m) for m in minutes_ago], tags)
    MeToo.objects.bulk_create(
        [
            MeToo(user=v, thread=t, created_at=NOW - timedelta(minutes=minutes_ago[0] - 2))
            for v, t in zip(voters, made[: len(voters)], strict=True)
        ]
    )
    return made


@pytest.fixture
def voters(db):
    return [make_user(f"voter{i}@example.com", f"Voter {i}") for i in range(4)]


def test_background_rows_alert_nothing(background, bob):
    assert spikes.detect(NOW) == []
    assert not Alert.objects.exists()


def test_a_spike_in_the_rows_opens_one_alert_and_emails_on_duty_staff_once(
    background, category, alice, voters, bob, erin, off_duty, bob_client
):
    tag = Tag.objects.create(name="login", slug="login")
    _spike(category, alice, voters, tags=[tag])
    opened = spikes.detect(NOW)
    assert sorted(a.kind for a in opened) == ["category", "tag"]
    area = Alert.objects.get(kind="category")
    assert (area.group_id, area.label, area.window, area.observed) == (
        category.pk,
        "Sync & accounts",
        "hour",
        14,
    )
    assert 1 < area.expected < 2 and area.p_value < spikes.ALPHA
    assert area.summary == "Sync & accounts: 14 new questions and me-toos in the last hour, about 1 expected"
    assert Alert.objects.get(kind="tag").label == "Tag login"
    assert PendingJob.objects.filter(kind=SPIKE_JOB).count() == 2

    run_pending(SPIKE_JOB)
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == [
        "bob@example.com",
        "bob@example.com",
        "erin@example.com",
        "erin@example.com",
    ]  # Olive: off duty
    message = next(m for m in mail.outbox if "Sync" in m.subject)
    assert message.subject == "Spike: Sync & accounts (14 in the last hour)"
    for sent in mail.outbox:
        person = bob if sent.to == [bob.email] else erin
        link = reverse("desk:unsubscribe", args=[unsubscribe_token(person.pk, "spike")])
        assert link in sent.body
        assert link in sent.extra_headers["List-Unsubscribe"]

    # The job runs twice, the detector runs again: nothing more.
    assert handle_spike({"alert_id": area.pk}) == 0
    assert spikes.detect(NOW + timedelta(minutes=15)) == []
    run_pending()
    assert len(mail.outbox) == 4
    assert NotificationSent.objects.filter(event_key=f"desk-spike:{area.pk}").count() == 2

    # The banner on /desk/ and the table on /desk/insights/.
    page = bob_client.get(reverse("desk:queue")).content.decode()
    assert "Sync &amp; accounts: 14 new questions and me-toos in the last hour, about 1 expected" in page
    insights = bob_client.get(reverse("desk:insights")).content.decode()
    assert 'id="spikes"' in insights and "Tag login" in insights and "Still open" in insights


def test_the_same_spike_is_extended_not_repeated_and_a_new_one_waits_for_quiet(
    background, category, alice, voters, bob
):
    _spike(category, alice, voters)
    [alert] = spikes.detect(NOW)
    # Still spiking 15 minutes later: the same alert goes on.
    _threads(category, alice, [NOW + timedelta(minutes=m) for m in (2, 4, 6)])
    assert spikes.detect(NOW + timedelta(minutes=15)) == []
    alert.refresh_from_db()
    assert alert.ended_at is None
    assert alert.last_seen_at == NOW + timedelta(minutes=15)
    assert alert.peak_observed >= 15  # 9 questions and 4 me-toos of the spike, 3 more
    # Back to normal, but not for QUIET yet: still open, and a new burst extends it.
    assert spikes.detect(NOW + timedelta(hours=3)) == []
    alert.refresh_from_db()
    assert alert.ended_at is None
    # Quiet for 6 hours: it ends.
    later = NOW + timedelta(minutes=15) + spikes.QUIET
    assert spikes.detect(later) == []
    alert.refresh_from_db()
    assert alert.ended_at == later
    # A new spike after that is a new alert.
    _spike(category, alice, [make_user(f"late{i}@example.com", f"Late {i}") for i in range(4)],
           minutes_ago=[m - (7 * 60 + 15) for m in range(5, 55, 5)])  # fmt: skip
    again = spikes.detect(NOW + timedelta(hours=7, minutes=15))
    assert [a.kind for a in again] == ["category"]
    assert Alert.objects.filter(kind="category").count() == 2


def test_staff_with_spike_emails_off_get_none_and_the_link_turns_them_off(
    background, category, alice, voters, bob, erin, client
):
    token = unsubscribe_token(erin.pk, "spike")
    assert "spike alert" in client.get(reverse("desk:unsubscribe", args=[token])).content.decode().lower()
    client.post(reverse("desk:unsubscribe", args=[token]))
    assert StaffProfile.objects.get(user=erin).notify_spikes is False
    _spike(category, alice, voters)
    spikes.detect(NOW)
    run_pending(SPIKE_JOB)
    assert [m.to for m in mail.outbox] == [[bob.email]]


def test_deleted_and_team_questions_are_not_counted(background, category, alice, bob):
    """14 deleted questions and 14 asked by staff in the last hour: either, counted, would
    alert (14 against about 1.4: p ~ 1e-9)."""
    minutes = [NOW - timedelta(minutes=4 * m + 2) for m in range(14)]
    made = _threads(category, alice, minutes)
    Thread.objects.filter(pk__in=[t.pk for t in made]).update(is_deleted=True, deleted_at=NOW)
    _threads(category, bob, minutes)
    assert spikes.detect(NOW) == []
    Thread.objects.filter(pk__in=[t.pk for t in made]).update(is_deleted=False, deleted_at=None)
    assert [a.kind for a in spikes.detect(NOW)] == ["category"]


def test_the_job_is_on_the_beat_schedule_every_15_minutes(background, bob):
    entry = celery_app.conf.beat_schedule["desk-detect-spikes"]
    assert entry == {"task": "desk.tasks.detect_spikes", "schedule": 900.0}
    assert detect_spikes.name == "desk.tasks.detect_spikes"
    assert detect_spikes() == 0
