"""Only staff mark answers official; any number. It does not solve the thread by itself
(issue 12, item 3): the question is "answered by staff" and its asker is asked "Did this
fix it?" (tests/forum/test_did_it_fix.py)."""

import pytest
from django.urls import reverse

from forum import actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import Thread


def test_staff_can_mark_an_answer_official_and_it_asks_the_asker(bob_client, bob, answer, thread):
    response = bob_client.post(reverse("forum:official", args=[answer.pk]))
    assert response.status_code == 302
    answer.refresh_from_db()
    thread.refresh_from_db()
    assert answer.is_official and answer.official_by == bob and answer.official_at
    # Before issue 12, item 3 this was SOLVED; now the asker says whether it fixed it.
    assert thread.status == Thread.Status.STAFF_ANSWERED
    assert thread.fix_asked_at == answer.official_at and thread.asks_did_it_fix
    assert thread.waiting_since is None  # the official mark is the team's reply


@pytest.mark.parametrize("who", ["alice_client", "dave_client", "carol_client"])
def test_customers_and_moderators_cannot_mark_official(request, who, answer, thread):
    client = request.getfixturevalue(who)
    client.post(reverse("forum:official", args=[answer.pk]))
    answer.refresh_from_db()
    thread.refresh_from_db()
    assert not answer.is_official
    assert thread.status == Thread.Status.WAITING


def test_anonymous_mark_official_goes_to_sign_in(client, answer):
    response = client.post(reverse("forum:official", args=[answer.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    answer.refresh_from_db()
    assert not answer.is_official


def test_any_number_of_answers_can_be_official(bob, thread, dave, carol):
    first = actions.add_answer(thread, dave, "First")
    second = actions.add_answer(thread, carol, "Second")
    assert actions.mark_official(first, bob) and actions.mark_official(second, bob)
    assert thread.posts.filter(is_official=True).count() == 2
    assert actions.mark_official(first, bob) is False  # already official: no change


def test_unmarking_the_only_official_answer_puts_it_back_to_waiting(bob, answer, thread):
    actions.mark_official(answer, bob)
    actions.unmark_official(answer, bob)
    thread.refresh_from_db()
    # The answer is a customer's: without the official mark, staff never replied.
    assert thread.status == Thread.Status.WAITING
    assert thread.waiting_since == thread.created_at


def test_deleted_answer_cannot_be_official(bob, carol, answer):
    actions.delete_post(answer, carol)
    with pytest.raises(InvalidAction):
        actions.mark_official(answer, bob)


def test_action_refuses_customer(dave, answer):
    with pytest.raises(NotAllowed):
        actions.mark_official(answer, dave)
