"""A transactional outbox: background work recorded in the writer's transaction.

`enqueue()` inserts a PendingJob row inside the caller's transaction and asks
Celery to run it once that transaction commits. If the commit rolls back, the
job never existed; if the broker is down or a message is lost, the row stays
undone and `jobs.tasks.sweep_outbox` (beat, every minute) sends it again.

Handlers are registered by kind, in the AppConfig.ready() of the app that owns
the kind; the kind is a constant of that app (this app knows none of them):

    # forum/apps.py
    jobs.outbox.register(notifications.NOTIFY_JOB, notifications.handle_notify,
                         time_limit=settings.JOBS_EMAIL_TIME_LIMIT, queue=jobs.outbox.MAIL_QUEUE)

Failures, in `run()`:
- a named transient error (`is_transient`: connection and SMTP-connection errors,
  a database OperationalError) raises `RetryLater`; the Celery task retries it with
  exponential backoff and full jitter, capped below GRACE so that the sweep only
  re-sends messages that were really lost;
- any other error is recorded on the row and logged with its traceback; the sweep
  re-sends the job after GRACE (a fix deployed meanwhile is picked up);
- after JOBS_MAX_ATTEMPTS runs the job is given up: logged at ERROR, never sent
  again, counted in /healthz (`jobs_given_up`) and in the admin's "state" filter.
"""

from __future__ import annotations

import logging
import random
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from jobs.models import PendingJob

log = logging.getLogger(__name__)

# The Celery task that runs one job (registered in jobs/tasks.py, looked up by name
# here so that this module does not import the task module that imports it).
RUN_TASK = "jobs.tasks.run_job"
SWEEP_TASK = "jobs.tasks.sweep_outbox"

Handler = Callable[[dict], object]

# A job not done this long after it was sent is sent again by the sweep.
GRACE = timedelta(minutes=2)
# A job never handed to the broker (it was down when the job committed) cannot be in
# flight: the sweep sends it once this short grace is over (the after-commit send comes
# first in the normal case), so posts made during a broker outage are linked within a
# sweep interval of its return (bench/faults.py redis; docs/reliability.md).
UNSENT_GRACE = timedelta(seconds=15)
# Backoff of transient retries: BACKOFF_BASE * 2**(attempt-1), at most BACKOFF_CAP
# (below GRACE, see the module doc), then a random part of it (full jitter).
BACKOFF_BASE = 5.0
BACKOFF_CAP = 90.0

# Errors that say "the other side is not answering right now", not "this job is wrong".
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,  # refused, reset, broken pipe
    TimeoutError,  # socket.timeout too
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    OperationalError,  # database locked or gone away
)


# Queue families (issue 14): separate Celery queues, so that a backlog of one never
# delays the others; production runs a worker per family (Procfile), the embedded
# `make run` worker consumes them all.
DEFAULT_QUEUE = "celery"  # everything else: fix fan-out, moderation, counters
MAIL_QUEUE = "mail"  # jobs that send email (slow SMTP, retries)
LINKING_QUEUE = "linking"  # duplicate linking: CPU-bound scoring
QUEUES = (DEFAULT_QUEUE, MAIL_QUEUE, LINKING_QUEUE)


@dataclass(frozen=True)
class Kind:
    handler: Handler
    time_limit: int  # seconds; the soft limit is 80 % of it
    queue: str = DEFAULT_QUEUE


_kinds: dict[str, Kind] = {}


class RetryLater(Exception):  # noqa: N818 - it is an instruction, not an error
    """Raised by run() for a transient error: try again in `countdown` seconds."""

    def __init__(self, countdown: float, cause: BaseException):
        super().__init__(f"retry in {countdown:.1f} s: {type(cause).__name__}: {cause}")
        self.countdown = countdown
        self.cause = cause


def register(
    kind: str, handler: Handler, *, time_limit: int | None = None, queue: str = DEFAULT_QUEUE
) -> Handler:
    """Run `handler(payload)` for jobs of `kind`, killed after `time_limit` seconds
    (default settings.JOBS_TIME_LIMIT), on the Celery queue `queue` (one of QUEUES).
    Call from the owning app's AppConfig.ready()."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}: one of {', '.join(QUEUES)}")
    _kinds[kind] = Kind(handler, int(time_limit or settings.JOBS_TIME_LIMIT), queue)
    return handler


def unregister(kind: str) -> None:
    _kinds.pop(kind, None)


def handler_for(kind: str) -> Handler | None:
    entry = _kinds.get(kind)
    return entry.handler if entry else None


def queue_for(kind: str) -> str:
    entry = _kinds.get(kind)
    return entry.queue if entry else DEFAULT_QUEUE


def time_limit_for(kind: str) -> int:
    entry = _kinds.get(kind)
    return entry.time_limit if entry else int(settings.JOBS_TIME_LIMIT)


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, TRANSIENT_ERRORS):
        return True
    # 4xx SMTP replies mean "try again later" (RFC 5321 section 4.2.1).
    return isinstance(exc, smtplib.SMTPResponseException) and 400 <= exc.smtp_code < 500


def backoff(attempt: int, rng: random.Random | None = None) -> float:
    """Seconds to wait before retry number `attempt` (1, 2, ...): exponential, capped, full jitter."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempt - 1))
    return (rng or random).uniform(ceiling / 2, ceiling)


def enqueue(kind: str, payload: dict, dedupe_key: str | None = None, *, run_after=None) -> PendingJob:
    """Record a job in the current transaction; send it to a worker after commit.

    With a dedupe_key, a second enqueue of the same key returns the first job
    instead of adding another (e.g. one "new answer" notification per answer).
    With `run_after` (an aware datetime) the job is delayed: the broker holds it until
    then (Celery's ETA) and the sweep counts its grace from then (jobs.notices' flush).
    """
    extra = {"run_after": run_after} if run_after is not None else {}
    if dedupe_key is not None:
        existing = PendingJob.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                job = PendingJob.objects.create(kind=kind, payload=payload, dedupe_key=dedupe_key, **extra)
        except IntegrityError:
            return PendingJob.objects.get(dedupe_key=dedupe_key)
    else:
        job = PendingJob.objects.create(kind=kind, payload=payload, **extra)
    transaction.on_commit(lambda: send(job.pk, kind))
    return job


def send(job_id: int, kind: str | None = None) -> bool:
    """Hand one job to the broker, with its kind's time limit, and stamp sent_at. A broker
    error is logged, not raised: the writer's request already committed, and the sweep
    will retry."""
    row = PendingJob.objects.filter(pk=job_id).values("kind", "run_after").first() or {}
    kind = kind if kind is not None else row.get("kind", "")
    limit = time_limit_for(kind)
    options = {"time_limit": limit, "soft_time_limit": limit * 0.8, "queue": queue_for(kind)}
    run_after = row.get("run_after")
    if run_after is not None and run_after > timezone.now():
        options["eta"] = run_after
    try:
        current_app.tasks[RUN_TASK].apply_async((job_id,), **options)
    except Exception:  # the broker's errors vary by transport; all mean "try later"
        log.exception("outbox: could not send job %s to the broker; the sweep will retry", job_id)
        return False
    PendingJob.objects.filter(pk=job_id, done_at__isnull=True).update(sent_at=timezone.now())
    return True


def run(job_id: int) -> bool:
    """Run one job if it is not done yet. Returns True when this call finished it.

    Marking done is a conditional update, so of two workers that raced through
    the same job only one records it; handlers are idempotent themselves (emails
    go through jobs.mail.send_once). Raises RetryLater for a transient error that
    has attempts left (see the module doc).
    """
    job = PendingJob.objects.filter(pk=job_id, done_at__isnull=True).first()
    if job is None:
        return False
    PendingJob.objects.filter(pk=job_id).update(attempts=F("attempts") + 1)
    attempt = job.attempts + 1  # this run's number (another worker may have counted too)
    handler = handler_for(job.kind)
    if handler is None:
        _failed(job, attempt, f"no handler registered for {job.kind!r}")
        return False
    try:
        handler(job.payload)
    except Exception as exc:
        _failed(job, attempt, f"{type(exc).__name__}: {exc}", exc)
        if is_transient(exc) and attempt < settings.JOBS_MAX_ATTEMPTS:
            raise RetryLater(backoff(attempt), exc) from exc
        return False
    return PendingJob.objects.filter(pk=job_id, done_at__isnull=True).update(done_at=timezone.now()) == 1


def _failed(job: PendingJob, attempt: int, error: str, exc: BaseException | None = None) -> None:
    PendingJob.objects.filter(pk=job.pk).update(last_error=error[:2000])
    if attempt >= settings.JOBS_MAX_ATTEMPTS:
        log.error(
            "outbox: job %s (%s) gave up after %s attempts: %s", job.pk, job.kind, attempt, error,
            exc_info=exc,
        )  # fmt: skip
    elif exc is None:
        log.error("outbox: job %s (%s) failed: %s", job.pk, job.kind, error)
    elif is_transient(exc):
        log.warning("outbox: job %s (%s) hit a transient error, will retry: %s", job.pk, job.kind, error)
    else:
        log.error("outbox: job %s (%s) failed; the sweep will retry", job.pk, job.kind, exc_info=exc)


def due_jobs(now=None):
    """Jobs the sweep should (re)send: never sent (after UNSENT_GRACE), or sent more than
    GRACE ago and still not done, and not yet given up on. A delayed job counts from its
    run_after: the broker holds it until then, so it is not lost before."""
    now = now or timezone.now()
    cutoff = now - GRACE
    return PendingJob.objects.waiting().filter(
        Q(sent_at__isnull=True, created_at__lt=now - UNSENT_GRACE) | Q(sent_at__lt=cutoff),
        Q(run_after__isnull=True) | Q(run_after__lt=cutoff),
    )


def sweep(now=None, limit: int = 500) -> int:
    """Re-send due jobs; return how many were sent."""
    sent = 0
    for job_id, kind in due_jobs(now).order_by("id").values_list("id", "kind")[:limit]:
        sent += send(job_id, kind)
    return sent
