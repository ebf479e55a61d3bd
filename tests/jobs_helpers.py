"""The one way tests run the outbox: what a worker would do, inline."""

from __future__ import annotations

from jobs import outbox
from jobs.models import PendingJob


def run_pending(kind: str | None = None) -> int:
    """Run every waiting outbox job (of one kind), oldest first, the way a worker would
    (jobs.outbox.run), also delayed ones as if their time had come (the coalesced email
    flushes of jobs.notices), and then the jobs those runs queued, each job once; return
    how many this call finished."""
    seen: set[int] = set()
    finished = 0
    while True:
        jobs = PendingJob.objects.waiting().exclude(pk__in=seen).order_by("pk")
        if kind:
            jobs = jobs.filter(kind=kind)
        ids = list(jobs.values_list("pk", flat=True))
        if not ids:
            return finished
        seen.update(ids)
        finished += sum(outbox.run(pk) for pk in ids)
