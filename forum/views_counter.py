"""Thread view counts without a database write per page view (issue 14, item 3).

With Redis as the cache, `record()` adds one to the thread's field of a Redis hash
(HINCRBY: atomic, ~0.1 ms) and `flush()`, run by beat every VIEW_COUNT_FLUSH_SECONDS,
takes the whole hash at once (RENAME, so views recorded meanwhile go to a new hash) and
writes each thread's sum with one UPDATE per thread. A flush that dies after the RENAME
leaves the taken hash; the next flush writes it first. (One that dies between the
UPDATEs and the DELETE counts that batch twice: a view count is a rough figure, never
worth a lock on the thread row per GET.)

Without Redis (the embedded `make run` default, one machine), or while Redis is away,
it is one UPDATE per view, as before.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from redis.exceptions import RedisError

from forum.models import Thread

HASH = "onefix:views"
FLUSHING = "onefix:views:flushing"


def _redis():
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        return None
    return cache._cache.get_client(HASH, write=True)


def record(thread_id: int) -> None:
    client = _redis()
    if client is not None:
        try:
            client.hincrby(HASH, str(thread_id), 1)
            return
        except (ConnectionError, TimeoutError, RedisError):
            pass  # Redis is away: count it the slow way rather than lose it
    Thread.objects.filter(pk=thread_id).update(view_count=F("view_count") + 1)


def flush() -> int:
    """Write the counted views to the threads; returns how many threads changed."""
    client = _redis()
    if client is None:
        return 0
    changed = 0
    if client.exists(FLUSHING):  # a flush that died after taking its counts: write them first
        changed += _write(client)
    if not client.exists(HASH):
        return changed
    client.rename(HASH, FLUSHING)  # views recorded from now on start a new hash
    return changed + _write(client)


def _write(client) -> int:
    changed = 0
    for thread_id, n in client.hgetall(FLUSHING).items():
        changed += Thread.objects.filter(pk=int(thread_id)).update(view_count=F("view_count") + int(n))
    client.delete(FLUSHING)
    return changed
