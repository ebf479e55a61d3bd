"""The question lists' side panels (categories with counts, popular tags) are kept in the
cache, not recounted per request, and every action that changes them drops them
(forum.listcounts, issue 14 item 4): after each, the page shows exact counts."""

import pytest

from forum import actions, queries
from forum.models import Category


def _panels(client):
    response = client.get("/questions/")
    categories = {c.slug: c.open_count for c in response.context["categories"]}
    tags = {t.name: t.uses for t in response.context["popular_tags"]}
    return categories, tags


def _recounted():
    return (
        {c.slug: c.open_count for c in queries.categories_with_counts()},
        {t.name: t.uses for t in queries.popular_tags()},
    )


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run an action as if its transaction committed (the invalidation runs on commit)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def test_counts_stay_exact_after_ask_retag_move_delete_restore_merge(
    client, alice, bob, carol, category, other_category, after_commit, django_assert_num_queries
):
    first = after_commit(
        actions.create_thread,
        alice,
        "Sync stops after the update",
        "Nothing syncs any more since 4.2.",
        category,
        ["sync"],
    )
    assert _panels(client) == _recounted() == ({category.slug: 1, other_category.slug: 0}, {"sync": 1})
    with django_assert_num_queries(0):  # kept: not recounted (nor any other query for them)
        from forum import listcounts

        listcounts.panels()

    second = after_commit(
        actions.create_thread,
        alice,
        "Login loop on the phone app",
        "The app asks me to sign in again and again.",
        category,
        ["login", "sync"],
    )
    assert (
        _panels(client)
        == _recounted()
        == ({category.slug: 2, other_category.slug: 0}, {"sync": 2, "login": 1})
    )

    after_commit(actions.edit_thread, second, alice, second.title, second.body_md, other_category, ["login"])
    assert (
        _panels(client)
        == _recounted()
        == ({category.slug: 1, other_category.slug: 1}, {"sync": 1, "login": 1})
    )

    after_commit(actions.delete_thread, first, carol)
    assert _panels(client) == _recounted() == ({category.slug: 0, other_category.slug: 1}, {"login": 1})

    after_commit(actions.restore_thread, first, carol)
    assert (
        _panels(client)
        == _recounted()
        == ({category.slug: 1, other_category.slug: 1}, {"sync": 1, "login": 1})
    )

    after_commit(actions.merge_thread, second, first, bob)
    assert _panels(client) == _recounted() == ({category.slug: 1, other_category.slug: 0}, {"sync": 1})


def test_a_new_category_shows_within_the_cache_time_or_at_the_next_change(
    client, alice, category, after_commit
):
    _panels(client)
    new = Category.objects.create(name="Billing", slug="billing", position=9)
    after_commit(
        actions.create_thread,
        alice,
        "Charged twice this month",
        "Two charges for one plan on my card.",
        new,
        [],
    )
    assert _panels(client)[0][new.slug] == 1
