"""The duplicates app's rows: links between threads, the clusters they make, fixes,
merges, and the backfill's checkpoint.

These tables were created by forum's migrations and moved here with their rows
(duplicates/migrations/0001_move_from_forum.py). Glossary (docs/duplicates.md): a
*link* is a pair of threads that may ask the same thing (suggested, confirmed or
rejected); a *cluster* is the threads joined by confirmed links; a *fix* is an answer
or article that solved one of them; *similar threads* is the panel that shows links.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class DuplicateLinkQuerySet(models.QuerySet):
    def involving(self, thread_id: int):
        return self.filter(Q(low_id=thread_id) | Q(high_id=thread_id))

    def shown(self):
        """What the "Similar threads" panel may show: never a rejected pair."""
        return self.filter(state__in=[DuplicateLink.State.SUGGESTED, DuplicateLink.State.CONFIRMED])

    def confirmed(self):
        return self.filter(state=DuplicateLink.State.CONFIRMED)


class DuplicateLink(models.Model):
    """Two threads that may ask the same thing: one row per unordered pair.

    The pair is stored as (low, high) with low < high, so (a, b) and (b, a) are the
    same row; the database enforces both the order and the uniqueness. A rejected
    row is kept forever: it is what stops the job from suggesting the pair again.
    """

    class State(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    low = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    method = models.CharField(max_length=20)  # "scorer-v1", "manual"
    state = models.CharField(max_length=12, choices=State.choices, default=State.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DuplicateLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(low__lt=F("high")), name="duplicatelink_low_lt_high"),
            models.UniqueConstraint(fields=["low", "high"], name="uniq_duplicatelink_pair"),
        ]
        indexes = [models.Index(fields=["high", "state"], name="duplicatelink_high_state")]

    def __str__(self) -> str:
        return f"{self.low_id} ~ {self.high_id} ({self.state})"

    def other(self, thread_id: int):
        return self.high if self.low_id == thread_id else self.low


class Cluster(models.Model):
    """Threads joined by confirmed duplicate links (a connected component, 2+ threads).

    `people_count` is stored for the staff desk's queue, which orders by it: the people
    affected across the cluster's visible threads, each once (clusters.people_affected),
    kept by clusters.recompute and by forum's "people changed" hook.
    """

    created_at = models.DateTimeField(default=timezone.now)
    people_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Cluster {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("duplicates:cluster", args=[self.pk])


class ClusterMembership(models.Model):
    """One cluster per thread; a thread in no cluster has no row."""

    thread = models.OneToOneField(
        "forum.Thread", on_delete=models.CASCADE, primary_key=True, related_name="cluster_membership"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")

    def __str__(self) -> str:
        return f"thread {self.thread_id} in cluster {self.cluster_id}"


class Fix(models.Model):
    """A fix published on one thread (official answer, accepted solution, KB article).

    URL and title are stored so the banner on linked threads needs no import of the
    app that made the fix. `key` makes one row per fix however often it is announced.
    """

    class Kind(models.TextChoices):
        OFFICIAL = "official", "Official answer"
        ACCEPTED = "accepted", "Accepted solution"
        ARTICLE = "article", "Knowledge-base article"

    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="fixes")
    post = models.ForeignKey("forum.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=300)
    # What the emails quote of an article fix: its summary, else its first paragraph
    # (never the source answer's opening, which greets another customer).
    summary = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} fix on thread {self.thread_id}"


class ThreadMerge(models.Model):
    """A thread merged into another: its row stays as a soft-deleted stub whose URL
    answers 301 to `into`."""

    thread = models.OneToOneField(
        "forum.Thread", on_delete=models.CASCADE, primary_key=True, related_name="merge"
    )
    into = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="merged_from")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"thread {self.thread_id} merged into {self.into_id}"


class LinkCheckpoint(models.Model):
    """Where `manage.py link_duplicates --all` stopped: the last thread id it finished."""

    name = models.CharField(max_length=40, unique=True)
    last_thread_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_thread_id}"
