"""add_answer through the page: status moves, first staff response, locked and deleted refuse."""

from django.urls import reverse

from forum import actions
from forum.models import Post, Thread


def answer_url(thread):
    return reverse("forum:answer", args=[thread.pk])


def test_a_customers_first_answer_counts_and_the_question_still_waits_for_staff(dave_client, thread):
    response = dave_client.post(answer_url(thread), {"body": "Try signing out and in."})
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    thread.refresh_from_db()
    # Only a reply from the team ends the wait (docs/forum.md, "Statuses").
    assert thread.status == Thread.Status.WAITING
    assert thread.answer_count == 1
    assert thread.first_staff_response_at is None


def test_first_staff_response_time_is_recorded_once(bob_client, carol, thread):
    bob_client.post(answer_url(thread), {"body": "Staff here: please update to 4.2.1."})
    thread.refresh_from_db()
    first = thread.first_staff_response_at
    assert first is not None
    actions.add_answer(thread, carol, "Moderator adding a note.")
    thread.refresh_from_db()
    assert thread.first_staff_response_at == first


def test_customer_answer_does_not_count_as_staff_response(dave_client, thread):
    dave_client.post(answer_url(thread), {"body": "Customer answer."})
    thread.refresh_from_db()
    assert thread.first_staff_response_at is None


def test_locked_thread_refuses_answers(dave_client, thread, carol):
    actions.lock_thread(thread, carol)
    response = dave_client.post(answer_url(thread), {"body": "Too late?"})
    assert response.status_code == 400
    assert "locked" in response.content.decode()
    assert not Post.objects.exists()


def test_deleted_thread_refuses_answers_and_is_404_for_customers(dave_client, thread, carol):
    actions.delete_thread(thread, carol)
    assert dave_client.post(answer_url(thread), {"body": "Hello"}).status_code == 404
    assert not Post.objects.exists()


def test_anonymous_answer_goes_to_sign_in_and_keeps_the_text(client, thread, dave):
    response = client.post(answer_url(thread), {"body": "My typed answer text"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Post.objects.exists()
    client.force_login(dave)
    assert "My typed answer text" in client.get(thread.get_absolute_url()).content.decode()


def test_unverified_answer_is_refused_and_text_kept(unverified_client, thread):
    response = unverified_client.post(answer_url(thread), {"body": "Unverified typed this"})
    assert response.status_code == 400
    assert "Unverified typed this" in response.content.decode()
    assert not Post.objects.exists()


def test_empty_answer_is_refused(dave_client, thread):
    response = dave_client.post(answer_url(thread), {"body": "   "})
    assert response.status_code == 400
    assert not Post.objects.exists()
