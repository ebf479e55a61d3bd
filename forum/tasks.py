"""The forum's periodic task. Takes no arguments, loads fresh rows, idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="forum.tasks.auto_solve", time_limit=120, soft_time_limit=100)
def auto_solve() -> int:
    """On the beat schedule (config/celery.py), hourly: solve the questions whose asker
    did not answer "Did this fix it?" within FORUM_AUTO_SOLVE_DAYS of an official answer
    (forum.actions.solving.auto_solve; each one audited). A second run finds nothing."""
    from forum.actions import auto_solve as solve

    return len(solve())
