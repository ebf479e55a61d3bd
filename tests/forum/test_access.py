"""access_thread / access_post: deleted rows are 404 except for the team."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from forum import actions
from forum.access import access_post, access_thread


def test_everyone_sees_a_visible_thread_and_answer(thread, answer, dave):
    assert access_thread(AnonymousUser(), thread.pk) == thread
    assert access_post(dave, answer.pk) == answer


def test_deleted_thread_is_404_for_customers_and_visible_to_the_team(thread, answer, carol, bob, alice):
    actions.delete_thread(thread, carol)
    for user in (AnonymousUser(), alice):
        with pytest.raises(Http404):
            access_thread(user, thread.pk)
        with pytest.raises(Http404):
            access_post(user, answer.pk)  # an answer on a deleted thread is hidden too
    assert access_thread(bob, thread.pk).is_deleted
    assert access_post(carol, answer.pk) == answer


def test_deleted_answer_is_404_for_customers_only(answer, carol, alice):
    actions.delete_post(answer, carol)
    with pytest.raises(Http404):
        access_post(alice, answer.pk)
    assert access_post(carol, answer.pk).is_deleted
