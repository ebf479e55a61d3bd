"""The thread page's panels in one query (forum.paneldata, issue 14 item 4): what the
duplicates, kb and desk panels show is read in one SELECT, fresh on every page view
(only the SQL is kept between requests), in the order the panels show it."""

from __future__ import annotations

import pytest

from desk import actions as desk_actions
from duplicates import clusters
from duplicates.models import DuplicateLink
from forum import actions
from forum.models import Thread
from forum.paneldata import panel_data
from tests.conftest import make_user


def _thread(author, category, i: int) -> Thread:
    return actions.create_thread(author, f"Sync question number {i}", f"Body of question {i}.", category)


def _link(a, b, score: float = 9.0) -> DuplicateLink:
    low, high = sorted([a.pk, b.pk])
    return DuplicateLink.objects.create(low_id=low, high_id=high, score=score, method="scorer-v1")


def _fresh(thread) -> dict:
    return panel_data(Thread.objects.get(pk=thread.pk))


def test_every_panel_reads_in_one_query_then_none(alice, category, django_assert_num_queries):
    thread = Thread.objects.get(pk=_thread(alice, category, 1).pk)
    with django_assert_num_queries(1):
        data = panel_data(thread)
    assert data == {
        "duplicates_links": [],
        "duplicates_cluster": [],
        "duplicates_fixes": [],
        "kb_article": [],
        "desk_claimed": False,
    }
    with django_assert_num_queries(0):  # memoised on the thread object for the request
        assert panel_data(thread) is data


def test_each_change_is_read_by_the_next_page_view(alice, dave, bob, category):
    """Only the SQL is kept between requests: links, a cluster, its people, a fix and a
    claim show on the next read."""
    thread, other, third = (_thread(alice if i == 1 else dave, category, i) for i in (1, 2, 3))
    strong, weak = _link(thread, other, 9.0), _link(thread, third, 5.0)
    links = _fresh(thread)["duplicates_links"]
    assert [row["id"] for row in links] == [strong.pk, weak.pk]  # best score first
    clusters.confirm_link(weak.pk, bob)
    data = _fresh(thread)
    assert [row["id"] for row in data["duplicates_links"]] == [weak.pk, strong.pk]  # confirmed first
    assert data["duplicates_cluster"][0]["threads"] == 2
    people = data["duplicates_cluster"][0]["people"]
    actions.me_too(make_user("gina@example.com", "Gina"), third)
    assert _fresh(thread)["duplicates_cluster"][0]["people"] == people + 1
    actions.mark_official(actions.add_answer(third, bob, "Reinstall the sync helper."), bob)
    assert [fix["kind"] for fix in _fresh(thread)["duplicates_fixes"]] == ["official"]
    assert _fresh(thread)["desk_claimed"] is False
    desk_actions.take(bob, Thread.objects.get(pk=thread.pk))
    assert _fresh(thread)["desk_claimed"] is True


@pytest.mark.parametrize(("threshold", "shown"), [(4.0, 1), (6.0, 0)])
def test_the_link_threshold_is_read_when_it_changes(alice, dave, category, settings, threshold, shown):
    """The kept SQL holds the threshold: a changed setting compiles it again."""
    thread = _thread(alice, category, 1)
    _link(thread, _thread(dave, category, 2), 5.0)
    _fresh(thread)  # compiled with the default
    settings.DUPLICATE_LINK_THRESHOLD = threshold
    assert len(_fresh(thread)["duplicates_links"]) == shown


def test_a_hidden_thread_is_never_in_the_panels(alice, dave, carol, category):
    thread, other = _thread(alice, category, 1), _thread(dave, category, 2)
    _link(thread, other)
    actions.delete_thread(other, carol)
    assert _fresh(thread)["duplicates_links"] == []
