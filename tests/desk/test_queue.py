"""The queue at /desk/: the priority order on hand-made data, the why line, clusters as
one row, claimed rows apart, filters, pagination, and a fixed query count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from desk import actions, priority, queries
from desk.hours import SupportHours
from forum import actions as forum_actions
from tests.desk.conftest import ask, link, person


def _order(client, query: str = "") -> list[str]:
    html = client.get(f"/desk/{query}").content.decode()
    return re.findall(r'data-key="(-?\d+)"', html)


@pytest.fixture
def day(category, bob):
    """Seven queue rows whose order is written out in test_the_documented_order."""
    t = {
        "A": ask(category, "A: one person, past the last tier", 80),
        "B": ask(category, "B: five people, two hours", 2, people=5),
        "C": ask(category, "C: two people, thirty hours", 30, people=2),
        "D": ask(category, "D: two people, ten hours", 10, people=2),
        "E": ask(category, "E: one person, ten hours", 10),
        "F": ask(category, "F: one person, twelve hours", 12),
        "G1": ask(category, "G1: in a cluster, three hours", 3, people=2),
        "G2": ask(category, "G2: in a cluster, five hours", 5),
    }
    link(t["G1"], t["G2"], bob)
    return t


def _key(day, name):
    if name == "G":
        return str(-day["G1"].cluster_membership.cluster_id)
    return str(day[name].pk)


def test_the_documented_order(bob_client, day):
    # points = people x 2^(tier-1); overdue first; ties: more people, then the longer wait.
    # A overdue (8) · C tier 3, 2x4=8 · G cluster of 3 people at 5 h, tier 2: 3x2=6 ·
    # B tier 1, 5x1=5 · D tier 2, 2x2=4 · F tier 2, 1x2=2, 12 h · E tier 2, 2, 10 h
    expected = [_key(day, n) for n in ["A", "C", "G", "B", "D", "F", "E"]]
    assert _order(bob_client) == expected


def test_more_people_at_the_same_wait_rank_higher(bob_client, day):
    order = _order(bob_client)
    assert order.index(_key(day, "D")) < order.index(_key(day, "E"))  # 2 vs 1 person, both 10 h


def test_a_longer_wait_with_the_same_people_ranks_higher(bob_client, day):
    order = _order(bob_client)
    assert order.index(_key(day, "F")) < order.index(_key(day, "E"))  # 12 h vs 10 h, 1 person


def test_past_the_last_tier_is_never_below_a_lower_tier(bob_client, category):
    crowd = ask(category, "A hundred people at seventy hours", 70, people=100)
    lonely = ask(category, "One person at seventy-three hours", 73)
    order = _order(bob_client)
    assert order == [str(lonely.pk), str(crowd.pk)]


def test_a_cluster_is_one_row_listing_its_waiting_threads_with_its_people(bob_client, day):
    html = bob_client.get("/desk/").content.decode()
    assert html.count(f'data-key="{_key(day, "G")}"') == 1
    assert "Cluster of 2 waiting questions" in html
    assert day["G1"].title in html and day["G2"].title in html
    assert "3 people affected · waiting 5 h · tier 2 · 6 points" in html


def test_every_row_says_why_it_is_where_it_is(bob_client, day):
    html = bob_client.get("/desk/").content.decode()
    assert "1 person affected · waiting 80 h · overdue (past 72 h) · 8 points" in html
    assert "5 people affected · waiting 2 h · tier 1 · 5 points" in html
    assert "2 people affected · waiting 30 h · tier 3 · 8 points" in html


def test_claimed_rows_are_shown_apart_from_unclaimed_ones(bob_client, bob, day):
    actions.take(bob, day["C"])
    assert _key(day, "C") not in _order(bob_client)  # the default view: unclaimed
    assert _order(bob_client, "?show=mine") == [_key(day, "C")]
    everything = _order(bob_client, "?show=all")
    assert everything[-1] == _key(day, "C")  # after every unclaimed row
    html = bob_client.get("/desk/?show=all").content.decode()
    assert html.index("Taken by someone") < html.index(day["C"].title)


def test_filters_by_product_area_tag_and_tier(bob_client, category, other_category):
    billing = ask(other_category, "Charged twice this month", 1, tags=["refund"])
    sync = ask(category, "Sync stopped on the laptop", 30)
    assert _order(bob_client, "?category=billing") == [str(billing.pk)]
    assert _order(bob_client, "?tag=refund") == [str(billing.pk)]
    assert _order(bob_client, "?tier=3") == [str(sync.pk)]
    assert _order(bob_client, "?tier=1") == [str(billing.pk)]
    assert _order(bob_client, "?tier=4") == []


def test_threads_that_do_not_wait_are_not_in_the_queue(bob_client, bob, category):
    answered = ask(category, "Answered by staff already", 5)
    forum_actions.add_answer(answered, bob, "Here is what to do.")
    assert _order(bob_client) == []


def test_nothing_is_hidden_by_age(bob_client, category):
    ancient = ask(category, "Asked a year ago and never answered", 24 * 365)
    assert _order(bob_client) == [str(ancient.pk)]


def test_the_queue_is_paginated(bob_client, category):
    for i in range(27):
        ask(category, f"Paged question number {i}", 1 + i)
    assert len(_order(bob_client)) == 25
    assert len(_order(bob_client, "?page=2")) == 2


@pytest.mark.parametrize("n", [3, 30])
def test_queue_query_count_is_fixed(bob_client, bob, category, n, django_assert_num_queries):
    made = [ask(category, f"Counted question {i}", 1 + i, tags=["sync"]) for i in range(n)]
    link(made[0], made[1], bob)
    actions.take(bob, made[2])
    # session, user, clustered and claimed rows, the other rows with the count (one UNION ALL),
    # threads, tags, categories, open claims, open spike alerts (the banner), the viewer's
    # repeated answers (none here; tests/desk/test_firefight.py counts them)
    with django_assert_num_queries(10):
        response = bob_client.get("/desk/?show=all")
    assert response.status_code == 200


# --- support hours ----------------------------------------------------------------------------


def test_support_hours_count_only_opening_times():
    hours = SupportHours("mon-fri 09:00-17:00", "Europe/Berlin")
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    from datetime import datetime

    friday_evening = datetime(2026, 3, 6, 18, 0, tzinfo=berlin)
    monday_ten = datetime(2026, 3, 9, 10, 0, tzinfo=berlin)
    assert hours.seconds_between(friday_evening, monday_ten) == 3600  # the weekend does not count
    # cutoff is the inverse: a wait that began by then has 4 support hours by Monday 10:00
    assert hours.cutoff(monday_ten, 4 * 3600) == datetime(2026, 3, 6, 14, 0, tzinfo=berlin)
    three_weeks = datetime(2026, 3, 30, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert hours.seconds_between(friday_evening, three_weeks) == (15 * 8 + 1) * 3600


def test_a_weekend_does_not_escalate_everything_on_monday(settings):
    settings.DESK_SUPPORT_HOURS = "mon-fri 09:00-17:00"
    settings.DESK_TIME_ZONE = "Europe/Berlin"
    from datetime import datetime
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    t = priority.tiers(datetime(2026, 3, 9, 10, 0, tzinfo=berlin))
    asked_friday_evening = datetime(2026, 3, 6, 18, 0, tzinfo=berlin)
    assert t.tier_of(asked_friday_evening) == 1  # 1 support hour, though 64 plain hours
    assert "waiting 1 h · tier 1" in priority.why(1, asked_friday_evening, t)


def test_support_hours_refuse_a_schedule_they_cannot_read():
    with pytest.raises(ValueError):
        SupportHours("weekdays 9-5")


def test_tiers_are_configurable(settings, category, bob_client):
    settings.DESK_TIERS = (1, 2, 3)
    t = priority.tiers(timezone.now())
    assert t.tier_of(timezone.now() - timedelta(hours=2.5)) == 3
    ask(category, "Waiting for four hours now", 4)
    assert "overdue (past 3 h)" in bob_client.get("/desk/").content.decode()


def test_open_claims_counts_a_cluster_once(bob, category):
    a, b = ask(category, "First of a pair of duplicates", 3), ask(category, "Second of a pair of dupes", 4)
    link(a, b, bob)
    assert len(actions.take(bob, a)) == 2
    assert queries.open_claims(bob) == 1


def test_person_helper_makes_distinct_people(db):
    assert person().pk != person().pk


# --- the page's fast path reads the same rows as the queue's definition ---------------------


def test_queue_page_agrees_with_queue_rows(bob, erin, category, other_category):
    """queries.queue_page (what /desk/ and "Next" read: clustered and claimed rows grouped,
    the other rows a LIMIT per tier) gives exactly the rows of queries.queue_rows (one
    GROUP BY over every waiting thread), page by page, with the same total, for every view
    and filter."""
    from desk.models import Team
    from forum.models import Thread

    hours = [0.5, 1, 2, 3, 3, 5, 8, 12, 20, 23, 25, 30, 40, 50, 70, 73, 80, 100, 200, 400]
    made = []
    for i, h in enumerate(hours):
        area = category if i % 3 else other_category
        made.append(
            ask(area, f"Agreeing question number {i}", h, people=1 + (i * 7) % 4, tags=["sync"] * (i % 2))
        )
    # ties on the wait and on the people: the order falls back to the older row, then the key
    same = timezone.now() - timedelta(hours=6)
    Thread.objects.filter(pk__in=[made[5].pk, made[6].pk, made[7].pk]).update(
        waiting_since=same, people_count=2
    )
    link(made[0], made[15], bob)  # a cluster across tiers and areas
    link(made[3], made[4], bob)
    link(made[4], made[9], bob)  # a cluster of three
    actions.take(bob, made[1])
    actions.take(erin, made[3])  # takes the cluster of three
    billing = Team.objects.create(name="Billing team", slug="billing-team")
    billing.members.add(bob)
    actions.take(erin, made[12])
    actions.hand_over(erin, made[12], billing)
    t = priority.tiers(timezone.now())
    for show in queries.SHOW:
        for tier in [None, 1, 2, 3, 4]:
            for cat, tag in [("", ""), (other_category.slug, ""), ("", "sync")]:
                filters = queries.Filters(show=show, category=cat, tag=tag, tier=tier)
                everything = list(queries.queue_rows(bob, filters, t))
                for per_page in (1, 4, 25):
                    for page in range(1, len(everything) // per_page + 2):
                        got, total = queries.queue_page(bob, filters, t, page, per_page)
                        start = (page - 1) * per_page
                        assert got == everything[start : start + per_page], (filters, page, per_page)
                        assert total == len(everything), filters
    areas = queries.Filters(show="unclaimed", areas=[category.pk])
    top, total = queries.queue_page(bob, areas, t, 1, 1, count=False)
    assert top == list(queries.queue_rows(bob, areas, t))[:1] and total is None


def test_a_row_shows_its_tags_in_order(bob_client, category):
    ask(category, "Sync stopped after the update", 3, tags=["sync", "android"])
    html = bob_client.get("/desk/").content.decode()
    assert '<span class="tag">android</span> · <span class="tag">sync</span>' in html
