"""Coalesced customer emails (jobs.notices): recorded once per person and event, sent by
one delayed flush per person as one email, race-safe, retried without duplicates, and
as each person chose (immediately, daily digest, never, stop all)."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from accounts import actions as account_actions
from jobs import notices, outbox
from jobs.models import Notice, PendingJob
from tests.jobs_helpers import run_pending


def _email(person, subject: str):
    def build():
        message = EmailMultiAlternatives(
            subject, f"Body of {subject}", to=[person.email], headers={"List-Unsubscribe": "<https://x/u/1/>"}
        )
        message.attach_alternative(f"<p>{subject}</p>", "text/html")
        return message

    return build


def tell(person, key: str, subject: str = "", kind: str = "answers", topic: str = "") -> bool:
    return notices.notify(
        person.pk,
        kind,
        key,
        _email(person, subject or key),
        summary=f"about {key}",
        link=f"/{key}",
        topic=topic,
    )


def test_one_event_alone_is_sent_as_its_own_email_after_the_window(alice, settings):
    settings.NOTIFY_COALESCE_SECONDS = 120
    before = timezone.now()
    assert tell(alice, "answer:1", "New answer: Sync")
    job = PendingJob.objects.get(kind=notices.FLUSH_JOB)
    assert job.run_after >= before + timedelta(seconds=120)
    assert mail.outbox == []  # nothing before the flush
    run_pending()
    (message,) = mail.outbox
    assert message.subject == "New answer: Sync"
    assert message.body == "Body of New answer: Sync"
    assert message.alternatives[0][0] == "<p>New answer: Sync</p>"
    assert message.extra_headers["List-Unsubscribe"] == "<https://x/u/1/>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_same_event_is_recorded_once_however_often_a_job_runs(alice):
    assert tell(alice, "answer:1") is True
    assert tell(alice, "answer:1") is False
    run_pending()
    assert tell(alice, "answer:1") is False  # sent already: still once
    run_pending()
    assert len(mail.outbox) == 1
    assert Notice.objects.count() == 1


def test_events_within_the_window_are_one_email_with_one_flush_job(alice):
    tell(alice, "answer:1", "New answer: One")
    tell(alice, "answer:2", "New answer: Two")
    tell(alice, "answer:3", "New answer: Three")
    assert PendingJob.objects.filter(kind=notices.FLUSH_JOB).count() == 1
    run_pending()
    (message,) = mail.outbox
    assert message.subject == "3 updates on questions you follow"
    for title in ("One", "Two", "Three"):
        assert f"New answer: {title}" in message.body
        assert f"New answer: {title}" in message.alternatives[0][0]
    assert "/account/emails/stop/" in message.extra_headers["List-Unsubscribe"]


def test_a_topic_keeps_only_its_latest_event(alice):
    tell(alice, "answer:7", "New answer: Sync", topic="post:7")
    tell(alice, "official:7", "Official answer: Sync", topic="post:7")
    run_pending()
    assert [m.subject for m in mail.outbox] == ["Official answer: Sync"]


def test_a_delayed_job_goes_to_the_broker_with_its_eta_and_the_sweep_waits_for_it(
    alice, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("jobs.tasks.run_job.apply_async", lambda args, **options: sent.append(options))
    with django_capture_on_commit_callbacks(execute=True):
        tell(alice, "answer:1")
    job = PendingJob.objects.get(kind=notices.FLUSH_JOB)
    assert sent[-1]["eta"] == job.run_after
    assert not outbox.due_jobs(now=job.run_after).filter(pk=job.pk).exists()
    assert outbox.due_jobs(now=job.run_after + outbox.GRACE + timedelta(seconds=1)).filter(pk=job.pk).exists()


def test_two_flushes_for_one_person_send_one_email(alice):
    tell(alice, "answer:1")
    tell(alice, "answer:2")
    assert notices.deliver(alice.pk, notices.NOW) == 1
    assert notices.deliver(alice.pk, notices.NOW) == 0  # the second finds nothing left to claim
    assert notices.handle_flush({"user_id": alice.pk}) == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_once_without_duplicates(alice, monkeypatch):
    tell(alice, "answer:1")
    tell(alice, "answer:2")
    job = PendingJob.objects.get(kind=notices.FLUSH_JOB)
    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("gone")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    with pytest.raises(outbox.RetryLater):
        outbox.run(job.pk)
    assert Notice.objects.unsent().count() == 2  # un-claimed: the retry sends them
    assert outbox.run(job.pk) is True
    assert outbox.run(job.pk) is False
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "2 updates on questions you follow"


def test_a_notice_recorded_while_a_flush_runs_gets_its_own_flush(alice):
    tell(alice, "answer:1")
    job = PendingJob.objects.get(kind=notices.FLUSH_JOB)
    tell(alice, "answer:2")  # the waiting flush will take it ...
    notices.deliver(alice.pk, notices.NOW)  # ... but suppose the flush had claimed before it came
    tell(alice, "answer:3")  # recorded while that flush finishes: no new job (one is waiting)
    assert PendingJob.objects.filter(kind=notices.FLUSH_JOB).count() == 1
    outbox.run(job.pk)  # finds answer:3, sends it, and queues nothing more
    assert len(mail.outbox) == 2
    Notice.objects.create(user=alice, kind="answers", event_key="stranded", subject="s", body_text="b")
    Notice.objects.filter(event_key="stranded").update(created_at=timezone.now() - timedelta(hours=1))
    assert notices.sweep() == 1  # a stranded one gets a flush from the sweep
    run_pending()
    assert len(mail.outbox) == 3


def test_never_and_stop_all_record_nothing_and_drop_what_waits(alice, dave):
    account_actions.set_email_preferences(alice, {"answers": "never"})
    assert tell(alice, "answer:1", kind="answers") is False
    assert tell(alice, "official:1", kind="solutions") is True
    account_actions.stop_all_emails(alice)  # within the window: what waits is not sent
    assert tell(alice, "accepted:1", kind="solutions") is False
    tell(dave, "answer:1")
    run_pending()
    assert [m.to for m in mail.outbox] == [["dave@example.com"]]
    account_actions.resume_emails(alice)
    assert tell(alice, "accepted:2", kind="solutions") is True


def test_digest_kinds_wait_for_the_days_digest_one_email_a_day(alice, dave, settings):
    settings.NOTIFY_DIGEST_HOUR = 7
    settings.NOTIFY_DIGEST_TIME_ZONE = "UTC"
    account_actions.set_email_preferences(alice, {"answers": "digest"})
    tell(alice, "answer:1", "New answer: One")
    tell(alice, "answer:2", "New answer: Two")
    tell(dave, "answer:1", "New answer: One")
    run_pending()
    assert [m.to for m in mail.outbox] == [["dave@example.com"]]  # alice's wait for the digest
    mail.outbox.clear()
    assert notices.queue_digest(datetime(2026, 3, 2, 6, 59, tzinfo=UTC)) is None  # before the hour
    job = notices.queue_digest(datetime(2026, 3, 2, 7, 5, tzinfo=UTC))
    assert job.dedupe_key == "notice-digest:2026-03-02"
    assert notices.queue_digest(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)).pk == job.pk  # once a day
    run_pending()
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Your daily digest: 2 updates on questions you follow"
    tell(alice, "answer:3")
    assert notices.handle_digest({"day": "2026-03-02"}) == 0  # today's went out: tomorrow's
    assert notices.handle_digest({"day": "2026-03-03"}) == 1
    assert len(mail.outbox) == 2


def test_one_digest_item_is_still_a_digest(alice):
    account_actions.set_email_preferences(alice, {"answers": "digest"})
    tell(alice, "answer:1", "New answer: One")
    notices.handle_digest({"day": "2026-03-02"})
    assert mail.outbox[0].subject == "Your daily digest: 1 update on questions you follow"


def test_an_inactive_person_is_told_nothing(alice):
    tell(alice, "answer:1")
    type(alice).objects.filter(pk=alice.pk).update(is_active=False)
    run_pending()
    assert mail.outbox == []


TITLE_150 = ("Notes & sketches don't sync after the 4.2 update on my work laptop " * 3)[:150].strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"New answer: {TITLE_150}", f"New answer: {TITLE_150}"),  # a 150-character title: whole
        ('It\'s "Q&A"  time\n', 'It\'s "Q&A" time'),  # plain text, one line
        ("word " * 60, ("word " * 39).strip() + "…"),  # past 200: at a word, with an ellipsis
        ("x" * 250, "x" * 199 + "…"),  # no space at all: cut, still marked
    ],
)
def test_subjects_are_whole_or_cut_at_a_word(text, expected):
    assert len(TITLE_150) == 150
    assert notices.whole_subject(text) == expected
    assert len(notices.whole_subject(text)) <= notices.SUBJECT_MAX
