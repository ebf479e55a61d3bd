"""The asker or staff accept one solution per thread; changing it is allowed."""

import pytest
from django.urls import reverse

from forum import actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import Thread


def accept(client, thread, post):
    return client.post(reverse("forum:accept", args=[thread.pk]), {"post": post.pk})


def test_asker_accepts_a_solution_and_the_thread_is_solved(alice_client, thread, answer):
    response = accept(alice_client, thread, answer)
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.accepted_post == answer
    assert thread.status == Thread.Status.SOLVED


def test_staff_may_accept_on_the_askers_behalf(bob_client, thread, answer):
    accept(bob_client, thread, answer)
    thread.refresh_from_db()
    assert thread.accepted_post == answer


@pytest.mark.parametrize("who", ["dave_client", "carol_client"])
def test_others_cannot_accept(request, who, thread, answer):
    accept(request.getfixturevalue(who), thread, answer)
    thread.refresh_from_db()
    assert thread.accepted_post is None
    assert thread.status == Thread.Status.WAITING  # a customer's answer: still waiting for staff


def test_changing_the_accepted_solution_keeps_one(alice, thread, answer, bob):
    better = actions.add_answer(thread, bob, "The real fix.")
    actions.accept_solution(thread, answer, alice)
    actions.accept_solution(thread, better, alice)
    thread.refresh_from_db()
    assert thread.accepted_post == better


def test_unaccepting_reopens_to_waiting_for_staff(alice_client, alice, thread, answer):
    actions.accept_solution(thread, answer, alice)
    alice_client.post(reverse("forum:accept", args=[thread.pk]), {"undo": "1"})
    thread.refresh_from_db()
    assert thread.accepted_post is None
    # A customer's answer, taken back as the solution: staff never replied, so it waits.
    assert thread.status == Thread.Status.WAITING


def test_answer_from_another_thread_is_refused(alice, thread, category, dave):
    other = actions.create_thread(dave, "Another question here", "Another body here", category)
    foreign = actions.add_answer(other, alice, "An answer elsewhere")
    with pytest.raises(InvalidAction):
        actions.accept_solution(thread, foreign, alice)


def test_deleting_the_accepted_answer_unsolves_the_thread(alice, carol, thread, answer):
    actions.accept_solution(thread, answer, alice)
    actions.delete_post(answer, carol)
    thread.refresh_from_db()
    assert thread.accepted_post is None
    assert thread.status == Thread.Status.WAITING  # no answer left, staff never replied
    assert thread.answer_count == 0


def test_action_refuses_a_customer_who_did_not_ask(dave, thread, answer):
    with pytest.raises(NotAllowed):
        actions.accept_solution(thread, answer, dave)
