"""Emails to followers: queued after commit, one per person per event, never to the actor,
plain text + HTML, and a one-click unsubscribe that needs no sign-in."""

import pytest
from django.core import mail
from django.urls import reverse

from forum import actions
from forum.models import Follow
from forum.notifications import handle_notify, unsubscribe_token
from jobs import outbox
from jobs.models import Notice, PendingJob
from tests.jobs_helpers import run_pending


def test_new_answer_job_is_queued_only_after_commit(
    thread, dave, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("jobs.tasks.run_job.apply_async", lambda args, **options: sent.append(args[0]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.add_answer(thread, dave, "An answer")
    job = PendingJob.objects.get(kind="notify")
    assert job.payload["event"] == "answer"
    assert sent == []  # nothing reaches the broker before commit
    for callback in callbacks:
        callback()
    assert sent == [job.pk]
    job.refresh_from_db()
    assert job.sent_at is not None


def test_followers_get_one_email_each_and_the_actor_none(thread, alice, dave, carol, bob):
    actions.me_too(dave, thread)  # dave follows automatically
    actions.follow(carol, thread)
    actions.add_answer(thread, bob, "Official fix coming")
    run_pending()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.com",
        "carol@example.com",
        "dave@example.com",
    ]
    assert all("New answer" in m.subject for m in mail.outbox)


def test_actor_who_follows_is_not_emailed_about_their_own_answer(thread, alice, dave):
    actions.follow(dave, thread)
    actions.add_answer(thread, dave, "My own answer")
    run_pending()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_running_a_job_twice_sends_nothing_twice(thread, dave):
    post = actions.add_answer(thread, dave, "Answer")
    job = PendingJob.objects.get(kind="notify")
    assert outbox.run(job.pk) is True
    assert outbox.run(job.pk) is False  # done: skipped
    assert handle_notify({"event": "answer", "post_id": post.pk, "actor_id": dave.pk}) == 0  # rows exist
    run_pending()  # the person's coalesced flush
    assert len(mail.outbox) == 1
    assert Notice.objects.count() == 1


def test_official_and_accepted_events_notify_followers_and_the_answer_author(thread, alice, bob, dave):
    post = actions.add_answer(thread, dave, "Try this")
    run_pending()
    mail.outbox.clear()
    actions.mark_official(post, bob)
    run_pending()
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com"]
    assert mail.outbox[0].subject.startswith("Official answer")
    mail.outbox.clear()
    actions.accept_solution(thread, post, alice)
    run_pending()
    # alice acted; dave wrote the accepted answer and is told although he doesn't follow
    assert [(m.to[0], m.subject.split(":")[0]) for m in mail.outbox] == [
        ("dave@example.com", "Your answer was accepted")
    ]


def test_email_has_text_and_html_parts_and_unsubscribe_headers(thread, dave):
    actions.add_answer(thread, dave, "**Sign out** and in again")
    run_pending()
    message = mail.outbox[0]
    assert "Sign out and in again" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Read the answer" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body and url in html
    assert "dave@example.com" not in message.body  # other people's addresses never appear


def test_unsubscribe_link_unfollows_without_signing_in(client, thread, alice):
    url = reverse("forum:unsubscribe", args=[unsubscribe_token(alice.pk, thread.pk)])
    page = client.get(url)
    assert page.status_code == 200 and "Stop emails" in page.content.decode()
    assert Follow.objects.filter(user=alice, thread=thread).exists()  # GET alone changes nothing
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follow.objects.filter(user=alice, thread=thread).exists()
    thread.refresh_from_db()
    assert thread.follower_count == 0


def test_tampered_unsubscribe_token_is_refused(client, thread, alice, dave):
    token = unsubscribe_token(alice.pk, thread.pk)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert client.post(reverse("forum:unsubscribe", args=[forged])).status_code == 404
    assert Follow.objects.filter(user=alice, thread=thread).exists()


def test_unfollowed_person_gets_no_more_email(client, thread, alice, dave):
    client.post(reverse("forum:unsubscribe", args=[unsubscribe_token(alice.pk, thread.pk)]))
    actions.add_answer(thread, dave, "Answer")
    run_pending()
    assert mail.outbox == []


def test_no_email_for_an_answer_deleted_before_the_job_ran(thread, dave, carol):
    post = actions.add_answer(thread, dave, "Spam")
    actions.delete_post(post, carol)
    run_pending()
    assert mail.outbox == []


@pytest.mark.usefixtures("eager_celery")
def test_with_a_worker_the_real_path_sends_after_commit(thread, dave, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_answer(thread, dave, "An answer")
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert PendingJob.objects.get(kind="notify").done_at is not None


def test_staff_follow_what_they_answer_without_counting_as_affected(thread, bob, dave):
    actions.add_answer(thread, bob, "Update to 4.2.1.")
    assert Follow.objects.filter(user=bob, thread=thread).exists()
    thread.refresh_from_db()
    assert thread.people_count == 1  # alice: the team is not affected
    actions.add_answer(thread, dave, "Same here.")
    assert not Follow.objects.filter(user=dave, thread=thread).exists()  # a customer answering is not


def test_people_an_app_above_tells_itself_are_left_out_of_the_follower_email(thread, alice, dave, carol):
    """forum.hooks.register_post_written: a subscriber that emails some people about an
    answer itself returns them, and the forum's "New answer" skips them."""
    from forum import hooks

    actions.follow(carol, thread)
    told = []

    def tells_carol(post, current):
        told.append((post.pk, current.pk))
        return [carol.pk]

    hooks.register_post_written(tells_carol)
    try:
        post = actions.add_answer(thread, dave, "An answer")
    finally:
        hooks._post_written.remove(tells_carol)
    assert told == [(post.pk, thread.pk)]
    assert PendingJob.objects.get(kind="notify").payload["skip"] == [carol.pk]
    run_pending()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_the_subject_and_text_keep_a_title_s_ampersands_and_brackets(alice, dave, category):
    question = actions.create_thread(alice, "Q&A export <beta> fails", "Nothing exports at all.", category)
    actions.add_answer(question, dave, "Same here.")
    run_pending()
    (message,) = mail.outbox
    assert message.subject == "New answer: Q&A export <beta> fails"
    assert "Q&A export <beta> fails" in message.body
    assert "Q&amp;A export &lt;beta&gt; fails" in message.alternatives[0][0]
