"""The forum's periodic tasks. They take no arguments, load fresh rows, are idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="forum.tasks.flush_view_counts", time_limit=60, soft_time_limit=50)
def flush_view_counts() -> int:
    """On the beat schedule (config/celery.py): write the view counts gathered in Redis
    to the threads (forum/views_counter.py). Without Redis there is nothing to write."""
    from forum import views_counter

    return views_counter.flush()


@shared_task(name="forum.tasks.auto_solve", time_limit=120, soft_time_limit=100)
def auto_solve() -> int:
    """On the beat schedule (config/celery.py), hourly: solve the questions whose asker
    did not answer "Did this fix it?" within FORUM_AUTO_SOLVE_DAYS of an official answer
    (forum.actions.solving.auto_solve; each one audited). A second run finds nothing."""
    from forum.actions import auto_solve as solve

    return len(solve())
