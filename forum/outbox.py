"""A transactional outbox: background work recorded in the writer's transaction.

`enqueue()` inserts a PendingJob row inside the caller's transaction and asks
Celery to run it once that transaction commits. If the commit rolls back, the
job never existed; if the broker is down or a message is lost, the row stays
undone and `forum.tasks.sweep_outbox` (beat, every minute) sends it again.
Handlers are registered by kind, so other work (duplicate linking) can plug in:

    outbox.register("notify", handle_notify)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from forum.models import PendingJob

log = logging.getLogger(__name__)

Handler = Callable[[dict], None]
_handlers: dict[str, Handler] = {}

# A job not done this long after it was sent is sent again by the sweep.
GRACE = timedelta(minutes=2)
MAX_ATTEMPTS = 5


def register(kind: str, handler: Handler) -> Handler:
    _handlers[kind] = handler
    return handler


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)


def enqueue(kind: str, payload: dict, dedupe_key: str | None = None) -> PendingJob:
    """Record a job in the current transaction; send it to a worker after commit.

    With a dedupe_key, a second enqueue of the same key returns the first job
    instead of adding another (e.g. one "new answer" notification per answer).
    """
    if dedupe_key is not None:
        existing = PendingJob.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                job = PendingJob.objects.create(kind=kind, payload=payload, dedupe_key=dedupe_key)
        except IntegrityError:
            return PendingJob.objects.get(dedupe_key=dedupe_key)
    else:
        job = PendingJob.objects.create(kind=kind, payload=payload)
    transaction.on_commit(lambda: send(job.pk))
    return job


def send(job_id: int) -> bool:
    """Hand one job to the broker and stamp sent_at. A broker error is logged, not
    raised: the writer's request already committed, and the sweep will retry."""
    from forum.tasks import run_job

    try:
        run_job.delay(job_id)
    except Exception:  # the broker's errors vary by transport; all mean "try later"
        log.exception("outbox: could not send job %s to the broker; the sweep will retry", job_id)
        return False
    PendingJob.objects.filter(pk=job_id, done_at__isnull=True).update(sent_at=timezone.now())
    return True


def run(job_id: int) -> bool:
    """Run one job if it is not done yet. Returns True when this call finished it.

    Marking done is a conditional update, so of two workers that raced through
    the same job only one records it; handlers are idempotent themselves (the
    notify handler keeps a unique row per person per event).
    """
    job = PendingJob.objects.filter(pk=job_id, done_at__isnull=True).first()
    if job is None:
        return False
    handler = handler_for(job.kind)
    PendingJob.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
    if handler is None:
        PendingJob.objects.filter(pk=job_id).update(last_error=f"no handler registered for {job.kind!r}")
        log.error("outbox: no handler for job kind %r (job %s)", job.kind, job_id)
        return False
    try:
        handler(job.payload)
    except Exception as exc:
        PendingJob.objects.filter(pk=job_id).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        log.exception("outbox: job %s (%s) failed; the sweep will retry", job_id, job.kind)
        return False
    return PendingJob.objects.filter(pk=job_id, done_at__isnull=True).update(done_at=timezone.now()) == 1


def due_jobs(now=None):
    """Jobs the sweep should (re)send: never sent, or sent more than GRACE ago and
    still not done, and not yet given up on."""
    now = now or timezone.now()
    from django.db.models import Q

    return PendingJob.objects.filter(done_at__isnull=True, attempts__lt=MAX_ATTEMPTS).filter(
        Q(sent_at__isnull=True, created_at__lt=now - GRACE) | Q(sent_at__lt=now - GRACE)
    )


def sweep(now=None, limit: int = 500) -> int:
    """Re-send due jobs; return how many were sent."""
    sent = 0
    for job_id in due_jobs(now).order_by("id").values_list("id", flat=True)[:limit]:
        sent += send(job_id)
    return sent
