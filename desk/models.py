"""The desk's rows: who is on duty and covers what, claims, staff-only notes.

A claim is one row per thread (the unique thread is what makes exactly one of two
people taking the same thread at once win). Taking a cluster claims its waiting
threads together; they share `item`, the thread that was taken, and count as one
claim against the holder's cap. A claim row exists only while it is held: releasing
deletes it, and the audit log keeps who took, released and handed over what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class StaffProfile(models.Model):
    """A staff member's desk settings; made on first use."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_profile"
    )
    on_duty = models.BooleanField(default=True)
    # The product areas this person covers ("Next" takes from these); none: all areas.
    areas = models.ManyToManyField("forum.Category", blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"desk profile of {self.user_id}"


class Claim(models.Model):
    thread = models.OneToOneField("forum.Thread", on_delete=models.CASCADE, related_name="desk_claim")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_claims")
    item = models.IntegerField(help_text="The thread that was taken; a cluster's threads share it.")
    claimed_at = models.DateTimeField(default=timezone.now)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["holder", "item"], name="claim_holder_item")]

    def __str__(self) -> str:
        return f"thread {self.thread_id} taken by {self.holder_id}"


class Note(models.Model):
    """A staff-only note on a thread: never public, never indexed, never emailed to customers."""

    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="desk_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body_md = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on thread {self.thread_id}"
