"""Pinned query counts of the forum's pages, the same at two data sizes (so they do not
grow with the data): the question list, a tag page, a category page, the thread page
(visitor, customer, staff), a thread's and an answer's history, and a profile page.

A signed-in viewer adds two (session, user). When a number here changes, say why in the
commit: a new query on every page view is a cost every reader pays."""

from __future__ import annotations

import re

import pytest

from forum import actions
from tests.factories import AnswerFactory, ThreadFactory, UserFactory

SIZES = (3, 30)
VIEWERS = ("client", "alice_client", "bob_client")


def _forum(n, category, bob):
    """n questions by n people, tagged "sync"; each answered (every third officially by
    staff), one "me too" each."""
    threads = ThreadFactory.create_batch(n, category=category)
    voter = UserFactory()
    for i, thread in enumerate(threads):
        if i % 3 == 0:
            actions.mark_official(AnswerFactory(thread=thread, author=bob), bob)
        else:
            AnswerFactory(thread=thread)
        actions.me_too(voter, thread)
    return threads


def _get(client, url, django_assert_num_queries, expected):
    # Warm the per-process caches (public document count, ...) and the list pages' kept
    # counts (forum.listcounts: 2 queries fewer than recounting, issue 14 item 4).
    client.get(url)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(("who", "expected"), [("client", 3), ("alice_client", 5)])
def test_question_list_queries_are_fixed(request, n, who, expected, category, bob, django_assert_num_queries):
    _forum(n, category, bob)
    response = _get(request.getfixturevalue(who), "/questions/", django_assert_num_queries, expected)
    assert response.context["page"].paginator.count == n
    assert len(response.context["page"].object_list) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_tag_page_queries_are_fixed(client, n, category, bob, django_assert_num_queries):
    _forum(n, category, bob)
    response = _get(client, "/questions/tagged/sync/", django_assert_num_queries, 4)
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", SIZES)
def test_category_page_queries_are_fixed(client, n, category, bob, django_assert_num_queries):
    _forum(n, category, bob)
    response = _get(client, f"/questions/category/{category.slug}/", django_assert_num_queries, 4)
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(("who", "expected"), [("client", 6), ("alice_client", 13), ("bob_client", 17)])
def test_thread_page_queries_are_fixed(
    request, n, who, expected, alice, bob, category, django_assert_num_queries
):
    """n answers by n people, helpful votes, an official answer, an accepted solution,
    me-too votes, n comments under the question and one under each answer. Visitor:
    thread, tags, view count, answers, every comment of the page with its author (one
    query, issue 12 item 2), and one for every app's panels (forum.paneldata, issue 14
    item 4: the duplicates links, cluster and fixes, the kb article, whether the desk holds
    a claim; they were four queries, seven in a cluster).
    Signed in: + session, user, the viewer's helpful votes, me-too, follow, verified
    address, the posts they reported (moderation's Report tool, one query for the
    question, every answer and every comment); staff + the answers already promoted.
    The desk: staff + 3 (the claim with its holder, notes, saved replies; + 1 more when a
    saved reply names articles, pinned in tests/desk/test_replies.py)."""
    thread = ThreadFactory(author=alice, category=category)
    answers = AnswerFactory.create_batch(n, thread=thread)
    for i, answer in enumerate(answers):
        if i % 2 == 0:
            actions.vote_helpful(answers[(i + 1) % n].author, answer)
        actions.me_too(answer.author, thread)
        actions.add_comment(thread, answer.author, f"Same here on 4.2 (number {i}).")
        actions.add_comment(thread, alice, f"Did that work on the phone too? ({i})", post=answer)
    actions.mark_official(AnswerFactory(thread=thread, author=bob), bob)
    actions.accept_solution(thread, answers[0], alice)
    response = _get(
        request.getfixturevalue(who), thread.get_absolute_url(), django_assert_num_queries, expected
    )
    html = response.content.decode()
    assert html.count('id="post-') == n + 1
    assert len(re.findall(r'id="comment-\d+"', html)) == 2 * n


@pytest.mark.parametrize("n", SIZES)
def test_thread_history_queries_are_fixed(client, n, alice, category, django_assert_num_queries):
    thread = ThreadFactory(author=alice, category=category)
    for i in range(n):
        actions.edit_thread(thread, alice, f"Question about sync, edit {i}", f"Body, edited {i} times.")
    response = _get(client, f"/questions/{thread.pk}/history/", django_assert_num_queries, 3)
    assert len(response.context["revisions"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_answer_history_queries_are_fixed(client, n, alice, dave, category, django_assert_num_queries):
    answer = AnswerFactory(thread=ThreadFactory(author=alice, category=category), author=dave)
    for i in range(n):
        actions.edit_post(answer, dave, f"Sign out and in again (edit {i}).")
    response = _get(client, f"/questions/answers/{answer.pk}/history/", django_assert_num_queries, 2)
    assert len(response.context["revisions"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_profile_page_queries_are_fixed(client, n, alice, bob, category, django_assert_num_queries):
    """alice asked n questions and answered n others; bob accepted and marked them."""
    asked = ThreadFactory.create_batch(n, author=alice, category=category)
    for thread in asked:
        AnswerFactory(thread=thread)
    for thread in ThreadFactory.create_batch(n, category=category):
        answer = AnswerFactory(thread=thread, author=alice)
        actions.mark_official(answer, bob)
    # the figures (4), then the questions list: its count, its rows, their tags (3)
    response = _get(client, f"/users/{alice.pk}/", django_assert_num_queries, 7)
    assert alice.display_name in response.content.decode()
    # the answers tab: the figures, then count and rows (the question comes with each)
    _get(client, f"/users/{alice.pk}/?tab=answers", django_assert_num_queries, 6)
