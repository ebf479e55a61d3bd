"""Reports of questions and answers, grouped per post into cases.

A `Case` is everything reported about one post (a question, an answer; a comment kind
plugs in through moderation.targets): it carries the counts the queue sorts by, so the
queue is one indexed query however many reports there are. A `Report` is one person's
report of that post, once per person (unique constraint).

"Open" reports are the ones since the last review: a moderator's decision (hide,
restore, edit out personal data, dismiss) closes them and sets the case's counts back
to zero, so a post reported again later comes back to the queue with the new reports
only. `open_trusted` counts the open reports by trusted people (accounts.rules.is_trusted
at the time of the report); MODERATION_AUTO_HIDE_REPORTS of them hide the post until
it is reviewed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

NOTE_MAX = 500


class CaseQuerySet(models.QuerySet):
    def waiting(self):
        """The queue: posts with open reports, most reporters first, then the longest waiting."""
        return self.filter(open_reports__gt=0).order_by("-open_reports", "opened_at", "id")


class Case(models.Model):
    class Decision(models.TextChoices):
        DISMISSED = "dismissed", "Dismissed: not a problem"
        HIDDEN = "hidden", "Hidden"
        RESTORED = "restored", "Restored"
        REDACTED = "redacted", "Personal data edited out"

    kind = models.CharField(
        max_length=16, help_text="What was reported: thread, answer (moderation.targets)."
    )
    object_id = models.PositiveBigIntegerField()
    open_reports = models.PositiveIntegerField(default=0)
    open_trusted = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True, help_text="The first open report.")
    auto_hidden_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CaseQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="uniq_case_per_post")]
        indexes = [models.Index(fields=["-open_reports", "opened_at"], name="case_queue")]

    def __str__(self) -> str:
        return f"Reports of {self.kind} {self.object_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        RUDE = "rude", "Rude or abusive"
        PERSONAL_DATA = "personal_data", "Personal data"
        OTHER = "other", "Something else"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.CharField(max_length=NOTE_MAX, blank=True)
    trusted = models.BooleanField(default=False, help_text="The reporter counted as trusted when reporting.")
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "reporter"], name="uniq_report_per_person")]
        indexes = [models.Index(fields=["case", "reviewed_at"], name="report_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} report on {self.case}"
