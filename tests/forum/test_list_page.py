"""/questions/ tabs, filters, tag and category pages, pagination (query counts: test_queries.py)."""

import pytest

from forum import actions
from tests.forum.conftest import make_threads


@pytest.fixture
def spread(alice, dave, bob, carol, category, other_category):
    """Four threads in different states."""
    unanswered = actions.create_thread(
        alice, "Unanswered question here", "Nobody answered", category, ["sync"]
    )
    answered = actions.create_thread(
        alice, "Answered question here", "Somebody answered", other_category, ["refund"]
    )
    actions.add_answer(answered, dave, "An answer")
    solved = actions.create_thread(
        dave, "Solved question here", "Staff fixed it", category, ["sync", "windows"]
    )
    fix = actions.add_answer(solved, bob, "The fix")
    actions.mark_official(fix, bob)
    actions.accept_solution(solved, fix, dave)  # official alone is "answered by staff" (issue 12, item 3)
    affected = actions.create_thread(dave, "Most affected question", "Everyone has it", other_category)
    actions.me_too(alice, affected)
    actions.me_too(bob, affected)
    actions.me_too(carol, affected)
    return {"unanswered": unanswered, "answered": answered, "solved": solved, "affected": affected}


def titles(response):
    html = response.content.decode()
    return [t.title for t in response.context["page"].object_list if t.title in html]


def test_newest_tab_lists_everything_newest_first(client, spread):
    assert titles(client.get("/questions/")) == [
        "Most affected question", "Solved question here", "Answered question here", "Unanswered question here",
    ]  # fmt: skip


def test_unanswered_tab_lists_only_questions_without_answers(client, spread):
    assert titles(client.get("/questions/?tab=unanswered")) == [
        "Most affected question",
        "Unanswered question here",
    ]


def test_most_affected_tab_orders_by_me_too_and_followers(client, spread):
    assert titles(client.get("/questions/?tab=affected"))[0] == "Most affected question"


def test_solved_tab_lists_only_solved(client, spread):
    assert titles(client.get("/questions/?tab=solved")) == ["Solved question here"]


def test_rows_show_status_counts_and_tags(client, spread):
    html = client.get("/questions/").content.decode()
    # One vocabulary (docs/forum.md, "Statuses"): a customer's question nobody on the team
    # answered is "Waiting for staff", with or without a customer's answer; never "Open".
    assert "badge-solved" in html and "badge-waiting" in html and "badge-open" not in html
    assert ">Waiting for staff · <time" in html
    assert "Staff answered" not in html  # the old second word for it
    # People affected, one phrasing: dave, and alice, bob and carol who said "me too".
    assert '<strong data-testid="people-affected">4</strong> people affected' in html
    assert 'href="/questions/tagged/windows/"' in html


def test_category_filter_and_category_page(client, spread, other_category):
    assert set(titles(client.get("/questions/?category=billing"))) == {
        "Answered question here",
        "Most affected question",
    }
    assert set(titles(client.get(other_category.get_absolute_url()))) == {
        "Answered question here",
        "Most affected question",
    }
    assert client.get("/questions/category/nope/").status_code == 404


def test_tag_page_and_tag_filter(client, spread):
    assert set(titles(client.get("/questions/tagged/sync/"))) == {
        "Unanswered question here",
        "Solved question here",
    }
    assert titles(client.get("/questions/?tag=windows")) == ["Solved question here"]
    assert client.get("/questions/tagged/nope/").status_code == 404


def test_deleted_questions_are_not_listed(client, spread, carol):
    actions.delete_thread(spread["solved"], carol)
    assert "Solved question here" not in titles(client.get("/questions/"))


def test_pagination_twenty_per_page(client, alice, category):
    make_threads(alice, category, 25)
    first = client.get("/questions/")
    second = client.get("/questions/?page=2")
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert "Page 1 of 2" in first.content.decode()


def test_pager_links_keep_the_tab_and_filters(client, alice, category):
    make_threads(alice, category, 25)
    first = client.get("/questions/", {"tab": "unanswered", "category": category.slug}).content.decode()
    assert f'href="?tab=unanswered&amp;category={category.slug}&amp;page=2" rel="next"' in first
    second = client.get(
        "/questions/", {"tab": "unanswered", "category": category.slug, "page": "2"}
    ).content.decode()
    # Back to page 1 is the plain address, not ?page=1 (one URL per page).
    assert f'href="?tab=unanswered&amp;category={category.slug}" rel="prev"' in second
