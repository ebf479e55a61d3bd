"""Issue 12, item 8: the empty search page's examples come from the site's own content."""

from __future__ import annotations

import dataclasses

import pytest

from search import examples, kinds
from tests.search.conftest import put

pytestmark = pytest.mark.django_db


@pytest.fixture
def popular_threads(monkeypatch):
    """The forum says threads 2 and 6 are the most needed (6 is hidden: never shown)."""
    thread = dataclasses.replace(kinds.get_kind("thread"), popular=lambda limit: [6, 2][:limit])
    monkeypatch.setitem(kinds._kinds, "thread", thread)


def test_the_landing_suggests_this_sites_topics_and_questions_not_printers(client, db, popular_threads):
    put("thread", 2, "Notes stop syncing on Windows", tags=["sync", "windows", "dark-mode"], solved=True)
    put("thread", 3, "Widget is empty on iPhone", tags=["ios", "widget", "sync"])
    put("thread", 6, "Casino bonus", tags=["sync"], is_public=False)
    html = client.get("/search/").content.decode()
    assert "paper jam" not in html and "printer" not in html
    assert "Popular topics" in html and 'href="?q=sync"' in html
    assert "Common questions" in html and 'href="/thread/2/">Notes stop syncing on Windows</a>' in html
    assert "Casino" not in html
    assert "<code>sync windows</code>" in html  # both words: two tags of a popular thread
    assert "<code>&quot;dark mode&quot;</code>" in html  # a phrase: a tag of two words
    assert "e.g. “Notes stop syncing on Windows”" in html  # the search box's placeholder


def test_a_site_without_content_gets_neutral_examples(client, db):
    html = client.get("/search/").content.decode()
    assert "Popular topics" not in html and "Common questions" not in html
    assert "<code>windows or mac</code>" in html and "printer" not in html


def solved(title: str, tags: list[str], asker, staff):
    from forum import actions as forum_actions
    from tests.factories import CategoryFactory

    thread = forum_actions.create_thread(asker, title, f"{title}: since yesterday.", CategoryFactory(), tags)
    answer = forum_actions.add_answer(thread, staff, "Sign out and in again, then it works.")
    forum_actions.accept_solution(thread, answer, asker)
    return thread


def test_the_forum_offers_its_most_affected_solved_threads(client, alice, bob, carol, dave):
    from forum import actions as forum_actions

    quiet = solved("Widget shows an empty list", ["widget", "ios"], alice, bob)
    busy = solved("Notes stop syncing after the update", ["sync", "windows"], alice, bob)
    forum_actions.create_thread(dave, "Battery drains fast", "Open question.", quiet.category, ["battery"])
    forum_actions.me_too(dave, busy)
    forum_actions.me_too(carol, busy)
    html = client.get("/search/").content.decode()
    common = html[html.index("Common questions") :]
    assert common.index("Notes stop syncing") < common.index("Widget shows an empty list")
    assert "Battery drains fast" not in common  # open, not solved
    assert "<code>sync windows</code>" in html


@pytest.mark.parametrize("size", [2, 12])
def test_the_landing_query_count_is_fixed_and_zero_once_cached(
    client, alice, bob, django_assert_num_queries, size
):
    for i in range(size):
        solved(f"Speaker crackles {i}", [f"t{i % 7}", "audio", "sound"], alice, bob)
    with django_assert_num_queries(3):  # the forum's popular ids, their index entries, top tags
        assert client.get("/search/").status_code == 200
    with django_assert_num_queries(0):  # cached for examples.EXAMPLES_CACHE_SECONDS
        assert client.get("/search/").status_code == 200
    assert examples.examples().tags[:2] == ["audio", "sound"]
    assert len(examples.examples().popular) == min(size, examples.POPULAR_LIMIT)
