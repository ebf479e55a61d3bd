"""The outbox's Celery tasks. They take ids, load fresh rows, and are idempotent.

acks_late, reject_on_worker_lost and ignore_result are global (settings.CELERY_*);
a job's time limit is its kind's (jobs.outbox.register), set when it is sent.
"""

from __future__ import annotations

from celery import shared_task

from jobs import notices, outbox


@shared_task(name=outbox.RUN_TASK, bind=True, max_retries=None)
def run_job(self, job_id: int) -> None:
    """Run one outbox job (jobs.outbox.run); a second delivery does nothing. A transient
    error is retried with backoff and jitter; run() stops that at JOBS_MAX_ATTEMPTS."""
    _run(self, job_id)


def _run(task, job_id: int) -> None:
    try:
        outbox.run(job_id)
    except outbox.RetryLater as later:
        raise task.retry(countdown=later.countdown, exc=later.cause) from None


@shared_task(name=outbox.SWEEP_TASK)
def sweep_outbox() -> int:
    """Beat, every 30 s: re-send outbox jobs whose message may have been lost, and give
    a flush to anyone whose notices were left without one (jobs.notices.sweep)."""
    notices.sweep()
    return outbox.sweep()


@shared_task(name="jobs.tasks.queue_notice_digest")
def queue_notice_digest() -> None:
    """Beat, hourly: record the day's digest job from NOTIFY_DIGEST_HOUR (jobs.notices)."""
    notices.queue_digest()


# The names these tasks had when the outbox lived in forum/. Messages already queued
# under them (and a beat schedule file written before the move) still find a task;
# remove once no broker can hold such a message.
@shared_task(name="forum.tasks.run_job", bind=True, max_retries=None)
def legacy_run_job(self, job_id: int) -> None:
    _run(self, job_id)


@shared_task(name="forum.tasks.sweep_outbox")
def legacy_sweep_outbox() -> int:
    return outbox.sweep()
