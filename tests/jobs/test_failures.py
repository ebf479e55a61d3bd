"""What the outbox does when a job fails: transient errors retry with backoff and jitter,
others wait for the sweep, and a job that gives up is logged and visible."""

import logging
import random
import smtplib
import time

import pytest
from celery import current_app
from django.conf import settings
from django.core.cache import cache

from config.celery import HEARTBEAT_KEY
from jobs import outbox
from jobs.models import PendingJob


@pytest.fixture
def register():
    kinds = []

    def _register(kind, handler, **kwargs):
        kinds.append(kind)
        outbox.register(kind, handler, **kwargs)

    yield _register
    for kind in kinds:
        outbox.unregister(kind)


def _fails_with(exc):
    def handler(payload):
        raise exc

    return handler


def test_a_transient_error_asks_for_a_retry_and_counts_the_attempt(db, register):
    register("test-smtp", _fails_with(smtplib.SMTPServerDisconnected("gone")))
    job = outbox.enqueue("test-smtp", {})
    with pytest.raises(outbox.RetryLater) as later:
        outbox.run(job.pk)
    assert 0 < later.value.countdown <= outbox.BACKOFF_CAP
    job.refresh_from_db()
    assert job.attempts == 1 and job.done_at is None and "SMTPServerDisconnected" in job.last_error


def test_an_smtp_4xx_reply_is_transient_and_a_5xx_reply_is_not():
    assert outbox.is_transient(smtplib.SMTPResponseException(451, b"try later"))
    assert not outbox.is_transient(smtplib.SMTPResponseException(550, b"no such user"))
    assert not outbox.is_transient(ValueError("a bug"))


def test_backoff_grows_exponentially_stays_below_the_sweeps_grace_and_is_jittered():
    rng = random.Random(1)
    ceilings = [min(outbox.BACKOFF_CAP, outbox.BACKOFF_BASE * 2 ** (n - 1)) for n in range(1, 8)]
    for attempt, ceiling in enumerate(ceilings, start=1):
        waits = {outbox.backoff(attempt, rng) for _ in range(20)}
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(waits) > 1  # jitter: retries of many jobs do not line up
    assert ceilings[1] == 2 * ceilings[0]
    assert outbox.GRACE.total_seconds() > outbox.BACKOFF_CAP


def test_the_task_retries_a_transient_error_until_the_job_is_done(db, register):
    calls = []

    def flaky(payload):
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("mail server refused")

    register("test-flaky", flaky)
    job = outbox.enqueue("test-flaky", {})
    current_app.tasks[outbox.RUN_TASK].apply(args=(job.pk,))
    job.refresh_from_db()
    assert job.done_at is not None and job.attempts == 3 and len(calls) == 3


def test_a_job_gives_up_after_the_attempt_cap_logs_an_error_and_is_counted(db, register, caplog, client):
    register("test-down", _fails_with(ConnectionError("mail server refused")))
    job = outbox.enqueue("test-down", {})
    PendingJob.objects.filter(pk=job.pk).update(attempts=settings.JOBS_MAX_ATTEMPTS - 1)
    with caplog.at_level(logging.WARNING, logger="jobs.outbox"):
        assert outbox.run(job.pk) is False  # no RetryLater: this was the last attempt
    gave_up = [r for r in caplog.records if "gave up" in r.getMessage()]
    assert len(gave_up) == 1 and gave_up[0].levelno == logging.ERROR
    job.refresh_from_db()
    assert job.given_up and list(PendingJob.objects.given_up()) == [job]
    assert not outbox.due_jobs().filter(pk=job.pk).exists()
    cache.set(HEARTBEAT_KEY, {"at": time.time(), "pid": 1})
    body = client.get("/healthz").json()
    assert body["jobs_given_up"] == 1 and body["status"] == "ok"  # reported, the site still works


def test_the_admin_filters_jobs_by_state(db, register, admin_client):
    done = outbox.enqueue("test-kind", {})
    tired = outbox.enqueue("test-kind", {})
    PendingJob.objects.filter(pk=done.pk).update(done_at=done.created_at)
    PendingJob.objects.filter(pk=tired.pk).update(attempts=settings.JOBS_MAX_ATTEMPTS)
    page = admin_client.get("/admin/jobs/pendingjob/?state=given_up").content.decode()
    assert f"/admin/jobs/pendingjob/{tired.pk}/change/" in page
    assert f"/admin/jobs/pendingjob/{done.pk}/change/" not in page


def test_attempts_count_every_run_even_when_two_workers_race(db, register):
    register("test-kind", lambda payload: None)
    job = outbox.enqueue("test-kind", {})
    stale = PendingJob.objects.get(pk=job.pk)  # what a second worker loaded before the first ran
    outbox.run(job.pk)
    PendingJob.objects.filter(pk=stale.pk).update(done_at=None)
    outbox.run(stale.pk)
    job.refresh_from_db()
    assert job.attempts == 2  # F(): not "1 + what I read" twice


def test_each_kind_is_sent_with_its_own_time_limit(
    db, register, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("jobs.tasks.run_job.apply_async", lambda args, **options: sent.append(options))
    register("test-slow", lambda payload: None, time_limit=600)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("test-slow", {})
        outbox.enqueue("test-unregistered", {})
    assert sent[0]["time_limit"] == 600 and sent[0]["soft_time_limit"] == 480
    assert sent[1]["time_limit"] == settings.JOBS_TIME_LIMIT


def test_the_project_registers_its_kinds_with_limits():
    from duplicates.fixes import FIX_JOB
    from duplicates.linking import LINK_JOB
    from forum.notifications import NOTIFY_JOB
    from kb.actions import PUBLISHED_JOB

    for kind in (NOTIFY_JOB, LINK_JOB, FIX_JOB, PUBLISHED_JOB):
        assert outbox.handler_for(kind) is not None, kind
    assert outbox.time_limit_for(LINK_JOB) == settings.DUPLICATE_LINK_TIME_LIMIT
    assert outbox.time_limit_for(NOTIFY_JOB) == settings.JOBS_EMAIL_TIME_LIMIT


def test_messages_queued_under_the_old_task_names_still_run_and_beat_uses_the_new_one():
    # What a worker does when it starts: import every app's tasks module (autodiscovery is
    # lazy, so run alone this test would otherwise see only the tasks imported so far).
    current_app.loader.import_default_modules()
    tasks = current_app.tasks
    for name in (
        "jobs.tasks.run_job",
        "jobs.tasks.sweep_outbox",
        "forum.tasks.run_job",
        "forum.tasks.sweep_outbox",
    ):
        assert name in tasks, name
    for entry in current_app.conf.beat_schedule.values():
        assert entry["task"] in tasks, entry
