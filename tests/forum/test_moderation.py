"""Soft delete and restore (moderators), lock and unlock (staff and moderators)."""

import pytest
from django.urls import reverse

from forum import actions
from forum.errors import NotAllowed
from forum.models import Thread


def test_moderator_soft_deletes_a_question_visible_only_to_the_team(carol_client, thread, client, bob_client):
    assert carol_client.get(reverse("forum:delete_thread", args=[thread.pk])).status_code == 200
    response = carol_client.post(reverse("forum:delete_thread", args=[thread.pk]))
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.is_deleted and thread.deleted_at
    assert client.get(thread.get_absolute_url()).status_code == 404
    team_view = bob_client.get(thread.get_absolute_url())
    assert team_view.status_code == 200 and "Deleted." in team_view.content.decode()
    assert thread.title not in client.get("/questions/").content.decode()


def test_moderator_restores_a_deleted_question(carol_client, carol, thread, client):
    actions.delete_thread(thread, carol)
    carol_client.post(reverse("forum:delete_thread", args=[thread.pk]), {"restore": "1"})
    assert client.get(thread.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["alice_client", "dave_client", "bob_client"])
def test_non_moderators_cannot_delete(request, who, thread):
    response = request.getfixturevalue(who).post(reverse("forum:delete_thread", args=[thread.pk]))
    assert response.status_code == 403
    assert not Thread.objects.get().is_deleted


def test_moderator_deletes_an_answer_and_counts_follow(carol_client, answer, thread, client):
    carol_client.post(reverse("forum:delete_post", args=[answer.pk]))
    thread.refresh_from_db()
    assert thread.answer_count == 0 and thread.status == Thread.Status.WAITING
    assert answer.body_md[:20] not in client.get(thread.get_absolute_url()).content.decode()
    carol_client.post(reverse("forum:delete_post", args=[answer.pk]), {"restore": "1"})
    thread.refresh_from_db()
    assert thread.answer_count == 1 and thread.status == Thread.Status.WAITING


def test_customer_cannot_delete_an_answer(alice_client, answer):
    assert alice_client.post(reverse("forum:delete_post", args=[answer.pk])).status_code == 403
    answer.refresh_from_db()
    assert not answer.is_deleted


@pytest.mark.parametrize("who", ["bob_client", "carol_client"])
def test_staff_and_moderators_lock_and_unlock(request, who, thread):
    client = request.getfixturevalue(who)
    client.post(reverse("forum:lock_thread", args=[thread.pk]))
    thread.refresh_from_db()
    assert thread.is_locked
    client.post(reverse("forum:lock_thread", args=[thread.pk]), {"unlock": "1"})
    thread.refresh_from_db()
    assert not thread.is_locked


def test_customers_cannot_lock(alice_client, alice, thread):
    alice_client.post(reverse("forum:lock_thread", args=[thread.pk]))
    thread.refresh_from_db()
    assert not thread.is_locked
    with pytest.raises(NotAllowed):
        actions.lock_thread(thread, alice)


def test_a_solved_thread_stays_solved_when_locked_and_unlocked(alice, bob, answer, thread):
    actions.accept_solution(thread, answer, alice)
    actions.lock_thread(thread, bob)
    thread.refresh_from_db()
    assert thread.status == Thread.Status.SOLVED and thread.is_locked
    actions.unlock_thread(thread, bob)
    thread.refresh_from_db()
    assert thread.status == Thread.Status.SOLVED and not thread.is_locked
