"""Me-too: one per person per thread, not by the asker, follows automatically; exact under races."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from forum import actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import Follow, MeToo, Thread


def me_too_url(thread):
    return reverse("forum:me_too", args=[thread.pk])


def test_customer_says_me_too_and_follows(dave_client, dave, thread):
    response = dave_client.post(me_too_url(thread))
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.me_too_count == 1
    assert thread.people_affected == 2
    assert Follow.objects.filter(user=dave, thread=thread).exists()
    assert thread.follower_count == 2


def test_second_me_too_by_the_same_person_changes_nothing(dave_client, thread):
    dave_client.post(me_too_url(thread))
    dave_client.post(me_too_url(thread))
    thread.refresh_from_db()
    assert thread.me_too_count == 1
    assert MeToo.objects.count() == 1


def test_htmx_me_too_returns_the_new_count_fragment(dave_client, thread):
    response = dave_client.post(me_too_url(thread), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="question-actions"' in html and "<html" not in html
    assert 'data-testid="me-too-count" aria-label="1 people said me too">1<' in html
    assert 'aria-pressed="true"' in html


def test_undo_takes_the_me_too_back(dave_client, dave, thread):
    dave_client.post(me_too_url(thread))
    dave_client.post(me_too_url(thread), {"undo": "1"})
    thread.refresh_from_db()
    assert thread.me_too_count == 0
    assert not MeToo.objects.exists()


def test_asker_cannot_me_too_their_own_question(alice_client, alice, thread):
    alice_client.post(me_too_url(thread))
    thread.refresh_from_db()
    assert thread.me_too_count == 0
    with pytest.raises(InvalidAction):
        actions.me_too(alice, thread)


def test_anonymous_me_too_goes_to_sign_in_and_back_to_the_thread(client, thread):
    response = client.post(me_too_url(thread))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=%2Fquestions%2F")
    response = client.post(me_too_url(thread), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/accounts/login/")
    assert Thread.objects.get().me_too_count == 0


def test_unverified_cannot_me_too(unverified_client, unverified, thread):
    unverified_client.post(me_too_url(thread))
    assert Thread.objects.get().me_too_count == 0
    with pytest.raises(NotAllowed):
        actions.me_too(unverified, thread)


@pytest.mark.postgresql
def test_twenty_parallel_me_too_clicks_end_with_the_exact_count(people, alice, category):
    thread = actions.create_thread(alice, "Everyone has this problem", "Twenty people at once.", category)
    barrier = threading.Barrier(len(people))
    errors = []

    def click(user):
        try:
            barrier.wait(timeout=10)
            actions.me_too(user, Thread.objects.get(pk=thread.pk))
            actions.me_too(user, Thread.objects.get(pk=thread.pk))  # a double click changes nothing
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    workers = [threading.Thread(target=click, args=(user,)) for user in people]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    thread.refresh_from_db()
    assert thread.me_too_count == 20 == MeToo.objects.filter(thread=thread).count()
    assert thread.follower_count == 21 == Follow.objects.filter(thread=thread).count()


def test_asker_sees_in_words_why_their_me_too_button_is_disabled(alice_client, dave_client, thread):
    html = alice_client.get(thread.get_absolute_url()).content.decode()
    assert 'disabled aria-describedby="me-too-note"' in html
    assert 'id="me-too-note">You asked this, so you are already counted.</span>' in html
    assert "me-too-note" not in dave_client.get(thread.get_absolute_url()).content.decode()
