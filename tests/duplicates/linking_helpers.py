"""Shared helpers of the duplicate-linking tests: similar threads and running outbox jobs."""

from __future__ import annotations

from forum import actions
from jobs import outbox
from jobs.models import PendingJob

PRINTER = (
    "Printer shows offline after the firmware update",
    "Since installing firmware 3.1 my LaserJet printer shows offline on Windows and nothing prints.",
)
PRINTER_AGAIN = (
    "LaserJet printer offline since firmware update",
    "After the firmware update the printer is offline and every print job waits forever.",
)
UNRELATED = (
    "How do I change my billing address",
    "I moved house and the invoices still go to the old street address.",
)


def ask(author, category, text, tags=("printing",), **kwargs):
    title, body = text
    return actions.create_thread(author, title, body, category, list(tags), **kwargs)


def run_jobs(kind: str | None = None) -> int:
    """Run every undone outbox job (of one kind) the way a worker would; return how many finished."""
    jobs = PendingJob.objects.filter(done_at__isnull=True).order_by("pk")
    if kind:
        jobs = jobs.filter(kind=kind)
    return sum(outbox.run(pk) for pk in list(jobs.values_list("pk", flat=True)))
