"""Celery tasks of the forum. They take ids, load fresh rows, and are idempotent.

Time limits, acks_late, reject_on_worker_lost and ignore_result are global
(settings.CELERY_*).
"""

from __future__ import annotations

from celery import shared_task

from forum import outbox


@shared_task(name="forum.tasks.run_job")
def run_job(job_id: int) -> None:
    """Run one outbox job (forum.outbox.run); a second delivery does nothing."""
    outbox.run(job_id)


@shared_task(name="forum.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Beat, every minute: re-send outbox jobs whose message may have been lost."""
    return outbox.sweep()
