"""The transactional outbox: rows in the writer's transaction, sweep re-sends, handlers by kind."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobs import outbox
from jobs.models import PendingJob


@pytest.fixture
def calls():
    seen = []
    outbox.register("test-kind", lambda payload: seen.append(payload))
    yield seen
    outbox.unregister("test-kind")


def test_a_rolled_back_transaction_leaves_no_job(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                outbox.enqueue("test-kind", {"n": 1})
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
    assert not PendingJob.objects.exists()
    assert callbacks == []


def test_dedupe_key_makes_a_second_enqueue_return_the_first_job(db):
    first = outbox.enqueue("test-kind", {"n": 1}, dedupe_key="k1")
    second = outbox.enqueue("test-kind", {"n": 2}, dedupe_key="k1")
    assert first.pk == second.pk
    assert PendingJob.objects.count() == 1


def test_run_calls_the_handler_once_and_marks_done(db, calls):
    job = outbox.enqueue("test-kind", {"n": 1})
    assert outbox.run(job.pk) is True
    assert outbox.run(job.pk) is False
    assert calls == [{"n": 1}]
    job.refresh_from_db()
    assert job.done_at is not None and job.attempts == 1


def test_a_failing_handler_records_the_error_and_leaves_the_job_for_the_sweep(db):
    def boom(payload):
        raise ValueError("smtp down")

    outbox.register("test-fail", boom)
    try:
        job = outbox.enqueue("test-fail", {})
        assert outbox.run(job.pk) is False
    finally:
        outbox.unregister("test-fail")
    job.refresh_from_db()
    assert job.done_at is None and job.attempts == 1 and "smtp down" in job.last_error


def test_sweep_resends_lost_jobs_after_the_grace_period_only(db, monkeypatch):
    sent = []
    monkeypatch.setattr("jobs.tasks.run_job.apply_async", lambda args, **options: sent.append(args[0]))
    fresh = outbox.enqueue("test-kind", {})
    lost = outbox.enqueue("test-kind", {})
    never_sent = outbox.enqueue("test-kind", {})
    old = timezone.now() - timedelta(minutes=5)
    PendingJob.objects.filter(pk=fresh.pk).update(sent_at=timezone.now())
    PendingJob.objects.filter(pk=lost.pk).update(sent_at=old, created_at=old)
    PendingJob.objects.filter(pk=never_sent.pk).update(sent_at=None, created_at=old)
    assert outbox.sweep() == 2
    assert sorted(sent) == sorted([lost.pk, never_sent.pk])


def test_sweep_gives_up_after_the_attempt_cap_and_skips_done_jobs(db, monkeypatch):
    sent = []
    monkeypatch.setattr("jobs.tasks.run_job.apply_async", lambda args, **options: sent.append(args[0]))
    old = timezone.now() - timedelta(minutes=5)
    tired = outbox.enqueue("test-kind", {})
    done = outbox.enqueue("test-kind", {})
    PendingJob.objects.filter(pk=tired.pk).update(sent_at=old, attempts=settings.JOBS_MAX_ATTEMPTS)
    PendingJob.objects.filter(pk=done.pk).update(sent_at=old, done_at=timezone.now())
    assert outbox.sweep() == 0
    assert sent == []


def test_broker_down_on_commit_is_logged_and_the_job_kept(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    def down(args, **options):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr("jobs.tasks.run_job.apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        job = outbox.enqueue("test-kind", {})
    job.refresh_from_db()
    assert job.sent_at is None and job.done_at is None


def test_unknown_kind_is_recorded_not_lost(db):
    job = outbox.enqueue("nobody-handles-this", {})
    assert outbox.run(job.pk) is False
    job.refresh_from_db()
    assert "no handler" in job.last_error and job.done_at is None
