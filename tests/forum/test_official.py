"""Only staff mark answers official; any number; it solves the thread."""

import pytest
from django.urls import reverse

from forum import actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import Thread


def test_staff_can_mark_an_answer_official_and_it_solves_the_thread(bob_client, bob, answer, thread):
    response = bob_client.post(reverse("forum:official", args=[answer.pk]))
    assert response.status_code == 302
    answer.refresh_from_db()
    thread.refresh_from_db()
    assert answer.is_official and answer.official_by == bob and answer.official_at
    assert thread.status == Thread.Status.SOLVED


@pytest.mark.parametrize("who", ["alice_client", "dave_client", "carol_client"])
def test_customers_and_moderators_cannot_mark_official(request, who, answer, thread):
    client = request.getfixturevalue(who)
    client.post(reverse("forum:official", args=[answer.pk]))
    answer.refresh_from_db()
    thread.refresh_from_db()
    assert not answer.is_official
    assert thread.status == Thread.Status.ANSWERED


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


def test_unmarking_the_only_official_answer_reopens_to_answered(bob, answer, thread):
    actions.mark_official(answer, bob)
    actions.unmark_official(answer, bob)
    thread.refresh_from_db()
    assert thread.status == Thread.Status.ANSWERED


def test_deleted_answer_cannot_be_official(bob, carol, answer):
    actions.delete_post(answer, carol)
    with pytest.raises(InvalidAction):
        actions.mark_official(answer, bob)


def test_action_refuses_customer(dave, answer):
    with pytest.raises(NotAllowed):
        actions.mark_official(answer, dave)
