"""The knowledge base's periodic tasks. They take no arguments, load fresh rows, are idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="kb.tasks.review_articles", time_limit=300, soft_time_limit=240)
def review_articles() -> int:
    """On the beat schedule (config/celery.py), hourly: judge every published article
    again (kb/health.py) and store which need review, with the evidence. Returns how
    many are flagged; a second run changes nothing."""
    from kb import health

    return health.recompute_all()
