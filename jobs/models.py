"""The jobs app's rows: the outbox (PendingJob) and who was emailed about what
(NotificationSent). Both know nothing of the apps whose work they carry: a job is a
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
