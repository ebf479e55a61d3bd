from __future__ import annotations

from celery import shared_task


@shared_task(name="desk.tasks.release_stale_claims", time_limit=60, soft_time_limit=50)
def release_stale_claims() -> int:
    """On the beat schedule (config/celery.py): give back claims whose holder has not
    replied in time, and drop those on solved or deleted threads. Idempotent."""
    from desk.actions import release_stale

    return release_stale()


@shared_task(name="desk.tasks.queue_claim_reminders", time_limit=60, soft_time_limit=50)
def queue_claim_reminders() -> bool:
    """On the beat schedule, hourly: from DESK_REMINDER_HOUR (DESK_TIME_ZONE) records the
    day's reminder job in the outbox, once a day however often it runs (its dedupe key
    is the date). The emails are the job's (desk.notifications.handle_reminders)."""
    from desk.notifications import queue_reminders

    return queue_reminders() is not None


@shared_task(name="desk.tasks.detect_spikes", time_limit=120, soft_time_limit=100)
def detect_spikes() -> int:
    """On the beat schedule, every 15 minutes: spike alerts (desk/spikes.py). Opens,
    extends and ends alerts; an opened one queues its emails. Returns how many opened."""
    from desk.spikes import detect

    return len(detect())


@shared_task(name="desk.tasks.refresh_daily_figures", time_limit=300, soft_time_limit=240)
def refresh_daily_figures() -> int:
    """On the beat schedule, every 10 minutes: the insights' per-day figures
    (desk/figures.py, refresh) for the last days and for older questions that changed.
    Idempotent. Returns how many days were rebuilt."""
    from desk.figures import refresh

    return refresh()


@shared_task(name="desk.tasks.find_repeats", time_limit=300, soft_time_limit=270)
def find_repeats() -> int:
    """On the beat schedule, every 15 minutes: regroups near-identical staff replies on
    uncovered threads (desk/firefight.py). Idempotent. Returns how many groups it keeps."""
    from desk.firefight import refresh

    return refresh()
