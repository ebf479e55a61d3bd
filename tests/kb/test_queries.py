"""The article page, the KB home, a KB category, an article's history, /kb/unhelpful/
and the front page make the same number of queries with 3 articles as with 30.

Article page (visitor): the article, its tags, the view count, its sources, the people
helped (one UNION), related articles, the visitor's vote = 7; signed in adds the
session and the user. KB home: categories, most helpful, recently updated (+ drafts,
session, user for staff). Front page: popular articles, solved threads, their tags."""

import pytest

from forum import actions as forum_actions
from kb import actions
from tests.factories import ArticleFactory
from tests.kb.conftest import make_articles

SIZES = (3, 30)


def _fill(n, bob, alice, category):
    articles = make_articles(bob, category, n)
    thread = forum_actions.create_thread(
        alice, "Sync question for the article", "Body of the question.", category
    )
    for article in articles:
        actions.link_thread(article, thread, bob)
        for i in range(3):
            actions.vote(article, f"v:{article.pk}-{i}", i != 0)
    return articles


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(("who", "expected"), [("client", 7), ("bob_client", 9)])
def test_article_page_queries_are_fixed(
    request, n, who, expected, bob, alice, category, django_assert_num_queries
):
    client = request.getfixturevalue(who)
    article = _fill(n, bob, alice, category)[0]
    client.post(f"/kb/{article.slug}/vote/", {"helpful": "yes"})  # the visitor has voted: their vote is read
    with django_assert_num_queries(expected):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["page"].related) == min(n - 1, 5)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(("who", "expected"), [("client", 3), ("bob_client", 6)])
def test_kb_home_queries_are_fixed(
    request, n, who, expected, bob, alice, category, django_assert_num_queries
):
    client = request.getfixturevalue(who)
    _fill(n, bob, alice, category)
    actions.create_article(bob, "A draft on the home page", "", "Draft body text here.", category)
    with django_assert_num_queries(expected):
        response = client.get("/kb/")
    assert len(response.context["most_helpful"]) == min(n, 8)


@pytest.mark.parametrize("n", SIZES)
def test_front_page_queries_are_fixed(client, n, bob, alice, category, django_assert_num_queries):
    _fill(n, bob, alice, category)
    for i in range(n):
        t = forum_actions.create_thread(
            alice, f"Solved question number {i}", "Body of it here.", category, ["x"]
        )
        fix = forum_actions.add_answer(t, bob, "The fix.")
        forum_actions.mark_official(fix, bob)
        forum_actions.accept_solution(t, fix, t.author)  # official alone no longer solves (issue 12, item 3)
    with django_assert_num_queries(3):
        response = client.get("/")
    html = response.content.decode()
    assert "Popular articles" in html and "Recently solved" in html
    assert len(response.context["recently_solved"]) == min(n, 5)


@pytest.mark.parametrize("n", SIZES)
def test_kb_category_page_queries_are_fixed(client, n, bob, category, django_assert_num_queries):
    ArticleFactory.create_batch(n, author=bob, category=category)
    client.get(f"/kb/category/{category.slug}/")
    with django_assert_num_queries(3):
        response = client.get(f"/kb/category/{category.slug}/")
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(("who", "expected"), [("client", 3), ("bob_client", 5)])
def test_article_history_queries_are_fixed(
    request, n, who, expected, bob, category, django_assert_num_queries
):
    article = ArticleFactory(author=bob, category=category)
    for i in range(n):
        actions.save_article(
            article,
            bob,
            title=article.title,
            summary=article.summary,
            body=f"## Step one\n\nDo thing {i}.",
            category=category,
            tags=["sync"],
        )
    client = request.getfixturevalue(who)
    with django_assert_num_queries(expected):
        response = client.get(f"/kb/{article.slug}/history/")
    assert response.status_code == 200
    assert len(response.context["revisions"]) == n + 1
    assert response.context["diff"] is not None


@pytest.mark.parametrize("n", SIZES)
def test_unhelpful_page_queries_are_fixed(bob_client, n, bob, category, django_assert_num_queries):
    for article in ArticleFactory.create_batch(n, author=bob, category=category):
        for i in range(3):
            actions.vote(article, f"v:{article.pk}-{i}", False)
            actions.add_vote_reason(article, f"v:{article.pk}-{i}", f"Step {i} does not work")
    # session, user, the articles that need review (kb/health.py), articles, their latest reasons
    with django_assert_num_queries(5):
        response = bob_client.get("/kb/unhelpful/")
    assert response.status_code == 200
    assert len(response.context["articles"]) == n
    assert all(len(a.reasons) == 3 for a in response.context["articles"])
