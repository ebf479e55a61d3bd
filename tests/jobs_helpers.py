"""The one way tests run the outbox: what a worker would do, inline."""

from __future__ import annotations

from jobs import outbox
from jobs.models import PendingJob


def run_pending(kind: str | None = None) -> int:
    """Run every waiting outbox job (of one kind), oldest first, the way a worker
    would (jobs.outbox.run); return how many this call finished."""
    jobs = PendingJob.objects.waiting().order_by("pk")
    if kind:
        jobs = jobs.filter(kind=kind)
    return sum(outbox.run(pk) for pk in list(jobs.values_list("pk", flat=True)))
