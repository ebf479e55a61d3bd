from __future__ import annotations

from celery import shared_task


@shared_task(name="desk.tasks.release_stale_claims", time_limit=60, soft_time_limit=50)
def release_stale_claims() -> int:
    """On the beat schedule (config/celery.py): give back claims whose holder has not
    replied in time, and drop those on solved or deleted threads. Idempotent."""
    from desk.actions import release_stale

    return release_stale()
