"""Helpful votes: one per person per answer, never on one's own."""

import pytest
from django.urls import reverse

from forum import actions
from forum.errors import NotAllowed
from forum.models import HelpfulVote


def helpful_url(post):
    return reverse("forum:helpful", args=[post.pk])


def test_reader_can_vote_an_answer_helpful(alice_client, answer):
    response = alice_client.post(helpful_url(answer))
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.helpful_count == 1


def test_a_user_cannot_vote_twice(alice_client, answer):
    alice_client.post(helpful_url(answer))
    alice_client.post(helpful_url(answer))
    answer.refresh_from_db()
    assert answer.helpful_count == 1
    assert HelpfulVote.objects.count() == 1


def test_a_user_cannot_vote_on_their_own_answer(dave_client, dave, answer):
    dave_client.post(helpful_url(answer))
    answer.refresh_from_db()
    assert answer.helpful_count == 0
    with pytest.raises(NotAllowed):
        actions.vote_helpful(dave, answer)


def test_htmx_vote_returns_the_button_with_the_new_count(alice_client, answer):
    response = alice_client.post(helpful_url(answer), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'aria-pressed="true"' in html and '<span class="count">1</span>' in html and "<html" not in html


def test_undo_removes_the_vote(alice_client, answer):
    alice_client.post(helpful_url(answer))
    alice_client.post(helpful_url(answer), {"undo": "1"})
    answer.refresh_from_db()
    assert answer.helpful_count == 0


def test_anonymous_and_unverified_votes_are_refused(client, unverified_client, answer):
    assert "/accounts/login/" in client.post(helpful_url(answer))["Location"]
    unverified_client.post(helpful_url(answer))
    answer.refresh_from_db()
    assert answer.helpful_count == 0


def test_answers_are_ordered_by_helpfulness_then_age(client, thread, dave, bob, alice, carol):
    first = actions.add_answer(thread, dave, "First answer, nobody liked it")
    second = actions.add_answer(thread, carol, "Second answer, liked")
    actions.vote_helpful(alice, second)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert html.index(f'id="post-{second.pk}"') < html.index(f'id="post-{first.pk}"')


def test_author_sees_in_words_why_their_helpful_button_is_disabled(dave_client, alice_client, answer):
    note = f'id="helpful-note-{answer.pk}">You can\u2019t vote for your own answer</span>'
    html = dave_client.get(answer.thread.get_absolute_url()).content.decode()
    assert f'disabled aria-describedby="helpful-note-{answer.pk}"' in html and note in html
    assert note not in alice_client.get(answer.thread.get_absolute_url()).content.decode()
