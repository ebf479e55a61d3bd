"""The audit log: one row per staff or moderator action, never edited or deleted.

A row names what was acted on by kind and id (the apps own those words: "thread",
"post", "article", "link", "user" …) with the label and address it had then, so the
log reads well after the row it names has changed or gone. The actor is kept by id
and role; when a person deletes their account the row stays and the actor becomes
null (no personal data is copied here: labels are public titles and display names).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntryQuerySet(models.QuerySet):
    def for_target(self, kind: str, target_id: int):
        return self.filter(target_kind=kind, target_id=target_id)


class AuditEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=16, blank=True, help_text="The actor's role at the time.")
    action = models.CharField(max_length=40, help_text='What was done, e.g. "thread.lock".')
    target_kind = models.CharField(max_length=30, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    target_url = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["action", "-created_at"], name="audit_action_recent"),
            models.Index(fields=["target_kind", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_kind} {self.target_id or ''}".strip()
