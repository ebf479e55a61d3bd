"""The search index as plain rows, and the record of ask attempts.

`SearchEntry` holds one plain document per (kind, object_id). The full-text
structure next to it is not a Django field, because it differs per database
(see migrations/0002_fulltext.py):

- PostgreSQL: a generated, stored `search_vector tsvector` column on this table
  (title weight A, tags B, body C) with a GIN index, so the vector is computed by
  the same INSERT/UPDATE that writes the row.
- SQLite: an FTS5 external-content table `search_entry_fts` kept in step by
  triggers on this table, so the index changes in the same transaction.

Warning for future migrations on SQLite: Django alters a SQLite table by
re-creating it, which drops its triggers. A migration that alters SearchEntry
must re-create them (call `search.fulltext.install_sqlite_triggers`);
tests/search/test_index.py fails when they are missing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SearchEntry(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    title = models.TextField()
    body = models.TextField(blank=True)
    tags_text = models.TextField(blank=True, help_text="Tag names joined by spaces, for the full-text index.")
    url = models.CharField(max_length=500)
    category = models.CharField(max_length=100, blank=True)
    category_name = models.CharField(max_length=200, blank=True)
    is_public = models.BooleanField(default=True)
    solved = models.BooleanField(default=False, help_text="Thread: solved. Article: published.")
    status = models.CharField(
        max_length=20, blank=True, help_text="The badge's colour word, e.g. a thread's status."
    )
    status_label = models.CharField(
        max_length=60, blank=True, help_text="The badge's text, as the source words it."
    )
    boost = models.FloatField(default=1.0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    indexed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_kind_object"),
        ]
        indexes = [models.Index(fields=["indexed_at"], name="search_entry_indexed_at")]
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title[:60]}"

    def get_absolute_url(self) -> str:
        return self.url


class SearchTag(models.Model):
    """One tag of an entry: a row per tag makes tag filters and facet counts plain SQL."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="tag_rows")
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "name"], name="search_tag_unique_entry_name")]
        indexes = [models.Index(fields=["name", "entry"], name="search_tag_name_entry")]

    def __str__(self) -> str:
        return self.name


class SearchWord(models.Model):
    """Words of public titles and tags, with how many public documents use them.

    The vocabulary for "did you mean", and the document frequency similar() uses to
    pick informative words. Kept exact by every upsert/remove (+1/-1 per document),
    recomputed from scratch by rebuild_search_index.
    """

    word = models.CharField(max_length=60, unique=True)
    frequency = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.word


class AskAttempt(models.Model):
    """One visit to the ask page: which suggestions it was shown, whether one was
    opened, and whether a question was still posted."""

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    suggestions_shown = models.PositiveIntegerField(default=0, help_text="Distinct suggestions shown.")
    shown_urls = models.JSONField(default=list, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_url = models.CharField(max_length=500, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"ask attempt {self.token[:8]}"
