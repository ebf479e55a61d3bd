"""The jobs app's rows: the outbox (PendingJob), who was emailed about what
(NotificationSent) and what each person is still to be told (Notice, jobs.notices). Both know nothing of the apps whose work they carry: a job is a
kind and a JSON payload, an event is a string key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingJobQuerySet(models.QuerySet):
    def done(self):
        return self.filter(done_at__isnull=False)

    def waiting(self):
        """Not done and still being tried."""
        return self.filter(done_at__isnull=True, attempts__lt=settings.JOBS_MAX_ATTEMPTS)

    def given_up(self):
        """Not done after JOBS_MAX_ATTEMPTS runs: nobody retries these; a person must look."""
        return self.filter(done_at__isnull=True, attempts__gte=settings.JOBS_MAX_ATTEMPTS)


class PendingJob(models.Model):
    """A unit of background work recorded in the writer's transaction (the outbox).

    `sent_at` is when it was last handed to the broker, `done_at` when a worker
    finished it. jobs.tasks.sweep_outbox re-sends rows that are not done.
    """

    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    # A delayed job (jobs.outbox.enqueue(run_after=...)): handed to the broker with that
    # moment as its ETA, and not counted as lost by the sweep before it.
    run_after = models.DateTimeField(null=True, blank=True)

    objects = PendingJobQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["done_at", "sent_at"], name="jobs_pendingjob_undone")]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk}"

    @property
    def given_up(self) -> bool:
        return self.done_at is None and self.attempts >= settings.JOBS_MAX_ATTEMPTS


class NotificationSent(models.Model):
    """One row per person per event: a retried job never emails anyone twice
    (see jobs.mail.send_once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event_key = models.CharField(max_length=120)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="jobs_uniq_notification"),
        ]

    def __str__(self) -> str:
        return f"{self.event_key} -> {self.user_id}"


class NoticeQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)


class Notice(models.Model):
    """One thing to tell one person, recorded by the app that knows about it and sent by
    jobs.notices: alone, with the others of a short window (one email), or in the day's
    digest. Unique per (person, event key): the same event is recorded once, however
    often the job that records it runs (the exactly-once promise of send_once).

    The app renders its own single email when it records the notice (subject, text, HTML,
    unsubscribe link), so that one event alone is sent as the usual email; `summary` and
    `link` are what a combined email lists. `topic` groups notices about the same thing
    (e.g. one answer: "new answer", then "official", then "accepted"): in one email, only
    the latest of a topic is kept.
    """

    class Delivery(models.TextChoices):
        NOW = "now", "Soon (coalesced)"
        DIGEST = "digest", "Daily digest"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    event_key = models.CharField(max_length=120)
    topic = models.CharField(max_length=120, blank=True)
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.NOW)
    subject = models.CharField(max_length=300)
    summary = models.CharField(max_length=500, blank=True)
    link = models.CharField(max_length=500, blank=True)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    unsubscribe_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a flush claims the notice (sent_at, batch): cleared again if the send fails.
    sent_at = models.DateTimeField(null=True, blank=True)
    batch = models.CharField(max_length=40, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="jobs_uniq_notice"),
        ]
        indexes = [models.Index(fields=["user", "sent_at"], name="jobs_notice_unsent")]

    def __str__(self) -> str:
        return f"{self.event_key} -> {self.user_id}"
