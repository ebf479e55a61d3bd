"""Backfill duplicate links for existing threads, resumably (manage.py link_duplicates).

Threads are linked in id order by the job's own `link_thread` (the same code the
outbox runs), each in its own transaction. A checkpoint row records the last thread
finished every `every` threads and on interruption, so a rerun goes on from there;
redoing up to `every` threads after a hard kill is harmless (the job is idempotent).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from duplicates.linking import link_thread
from duplicates.models import LinkCheckpoint
from forum.models import Thread

CHECKPOINT = "link_duplicates"


def checkpoint() -> int:
    return (
        LinkCheckpoint.objects.filter(name=CHECKPOINT).values_list("last_thread_id", flat=True).first() or 0
    )


def save_checkpoint(thread_id: int) -> None:
    LinkCheckpoint.objects.update_or_create(
        name=CHECKPOINT, defaults={"last_thread_id": thread_id, "updated_at": timezone.now()}
    )


def reset_checkpoint() -> None:
    LinkCheckpoint.objects.filter(name=CHECKPOINT).delete()


def remaining(after: int):
    return Thread.objects.visible().filter(pk__gt=after).order_by("pk")


def backfill(
    *, every: int = 50, limit: int | None = None, progress: Callable[[int, int], None] | None = None
) -> tuple[int, int]:
    """Link every visible thread after the checkpoint. Returns (threads done, links created).

    `progress(threads_done_now, links_created_now)` is called after each thread.
    KeyboardInterrupt saves the checkpoint of the last finished thread, then re-raises.
    """
    start = checkpoint()
    ids = remaining(start).values_list("pk", flat=True)
    if limit is not None:
        ids = ids[:limit]
    done = created = 0
    last = start
    try:
        for thread_id in ids.iterator(chunk_size=2000):
            outcome = link_thread(thread_id)
            done += 1
            created += outcome.created
            last = thread_id
            if done % every == 0:
                save_checkpoint(last)
            if progress:
                progress(1, outcome.created)
    finally:
        if last != start:
            save_checkpoint(last)
    return done, created
