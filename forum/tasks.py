from __future__ import annotations

from celery import shared_task


@shared_task(name="forum.tasks.flush_view_counts", time_limit=60, soft_time_limit=50)
def flush_view_counts() -> int:
    """On the beat schedule (config/celery.py): write the view counts gathered in Redis
    to the threads (forum/views_counter.py). Without Redis there is nothing to write."""
    from forum import views_counter

    return views_counter.flush()
