"""Merge a confirmed duplicate into its cluster's main thread (staff).

What moves, in one transaction holding both thread rows:
- answers (with their helpful votes and edit history, which hang off the answers);
- followers: each follower of the duplicate follows the main thread, once;
- me-too votes: each voter of the duplicate — and its asker, who had the problem
  too — counts on the main thread, once; the main thread's asker is never a voter
  (the forum's own rule), so the cluster's "people affected" does not change;
- fixes recorded on the duplicate, so banners and emails keep pointing at them.

Counters of both threads are recomputed from the rows (not adjusted), the main
thread's status is refreshed, and both search documents are rewritten in the same
transaction. The duplicate stays as a soft-deleted stub with a ThreadMerge row:
its URL answers 301 to the main thread, and its confirmed links keep the cluster's
graph whole.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from forum import indexing
from forum.actions.threads import refresh_status
from forum.errors import InvalidAction, NotAllowed
from forum.models import ClusterMembership, Fix, Follow, MeToo, Post, Thread, ThreadMerge

from .clusters import can_merge, main_thread

MAX_CHAIN = 10


def merge_thread(duplicate: Thread, by) -> Thread:
    """Merge `duplicate` into the main thread of its cluster; returns the main thread.

    Preconditions: `by` is staff or a moderator; the duplicate is in a cluster (it
    has a confirmed link) and is not that cluster's main thread.
    """
    if not can_merge(by):
        raise NotAllowed("Only staff can merge threads.")
    with transaction.atomic():
        membership = ClusterMembership.objects.filter(thread_id=duplicate.pk).first()
        if membership is None:
            raise InvalidAction(
                "Only a confirmed duplicate can be merged: confirm it is the same problem first."
            )
        main = main_thread(membership.cluster_id)
        if main is None or main.pk == duplicate.pk:
            raise InvalidAction("This is the main thread of its cluster: merge the others into it.")
        locked = {t.pk: t for t in Thread.objects.select_for_update().filter(pk__in=[main.pk, duplicate.pk])}
        dup, main = locked[duplicate.pk], locked[main.pk]
        if dup.is_deleted or main.is_deleted:
            raise InvalidAction("A deleted thread cannot be merged.")
        now = timezone.now()

        Post.objects.filter(thread=dup).update(thread=main)
        _carry_followers(dup, main)
        _carry_me_too(dup, main)
        for fix in Fix.objects.filter(thread=dup):
            fix.thread = main
            if fix.post_id:
                fix.url = f"{main.get_absolute_url()}#post-{fix.post_id}"
            fix.save(update_fields=["thread", "url"])

        Thread.objects.filter(pk=main.pk).update(
            answer_count=Post.objects.visible().filter(thread=main).count(),
            me_too_count=MeToo.objects.filter(thread=main).count(),
            follower_count=Follow.objects.filter(thread=main).count(),
            last_activity_at=max(main.last_activity_at, dup.last_activity_at),
            first_staff_response_at=min(
                (t for t in (main.first_staff_response_at, dup.first_staff_response_at) if t), default=None
            ),
        )
        Thread.objects.filter(pk=dup.pk).update(
            accepted_post=None,
            answer_count=0,
            me_too_count=0,
            follower_count=0,
            is_deleted=True,
            deleted_at=now,
            deleted_by=by,
        )
        ThreadMerge.objects.create(thread=dup, into=main, merged_by=by, merged_at=now)
        refresh_status(main.pk)
        refresh_status(dup.pk)
        indexing.index_thread(main.pk)
        indexing.index_thread(dup.pk)
    main.refresh_from_db()
    return main


def _carry_followers(dup: Thread, main: Thread) -> None:
    already = set(Follow.objects.filter(thread=main).values_list("user_id", flat=True))
    moving = Follow.objects.filter(thread=dup).exclude(user_id__in=already)
    Follow.objects.bulk_create(
        [Follow(user_id=f.user_id, thread=main, created_at=f.created_at) for f in moving],
        ignore_conflicts=True,  # the unique constraint closes a race with a click on "Follow"
    )
    Follow.objects.filter(thread=dup).delete()


def _carry_me_too(dup: Thread, main: Thread) -> None:
    voters = {v.user_id: v.created_at for v in MeToo.objects.filter(thread=dup)}
    voters.setdefault(dup.author_id, dup.created_at)  # the duplicate's asker has the problem too
    voters.pop(main.author_id, None)
    already = set(MeToo.objects.filter(thread=main).values_list("user_id", flat=True))
    MeToo.objects.bulk_create(
        [MeToo(user_id=u, thread=main, created_at=at) for u, at in voters.items() if u not in already],
        ignore_conflicts=True,
    )
    MeToo.objects.filter(thread=dup).delete()


def merged_into(thread_id: int) -> Thread | None:
    """Where a merged thread's URL goes (following merges of merges), or None."""
    target = None
    for _ in range(MAX_CHAIN):
        row = ThreadMerge.objects.select_related("into").filter(thread_id=thread_id).first()
        if row is None:
            break
        target, thread_id = row.into, row.into_id
    return target
