"""The side panels of the question lists (categories with their question counts, the
popular tags) kept in the cache, not recounted over every thread on every request
(issue 14, item 4).

Why a cache with explicit invalidation rather than counter columns: the counts change
only when a question appears or disappears or moves (asked, deleted, restored, merged,
its category or tags edited), which is rare next to reads; both panels are one small
aggregate each, so recomputing them after such a change is cheap, while counters would
need every one of those paths (and the admin, and data fixes) to keep two more columns
exact. Every forum action that changes them calls `changed()` (after its transaction
commits, so a reader never caches the old counts after the change); the TTL bounds what
no action announces (a category renamed or reordered in the admin).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

KEY = "forum:list-counts"
TIMEOUT = 300  # seconds


def _compute() -> tuple[list, list]:
    from forum import queries

    return list(queries.categories_with_counts()), list(queries.popular_tags())


def panels() -> tuple[list, list]:
    """(categories each with .open_count, popular tags each with .uses)."""
    value = cache.get(KEY)
    if value is None:
        value = _compute()
        cache.set(KEY, value, TIMEOUT)
    return value


def changed() -> None:
    """A question appeared, disappeared or moved: the next list page recounts."""
    transaction.on_commit(lambda: cache.delete(KEY))
