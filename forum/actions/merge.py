"""Merging one thread into another: the forum's half of a merge.

`merge_thread` moves what belongs to the forum and leaves the duplicate as a
soft-deleted stub. Deciding *which* thread is the duplicate and which the main one,
and remembering the merge (the stub's old URL redirecting), is the caller's business:
duplicates.merge does both, around this function, in the same transaction.

What moves, in one transaction holding both thread rows:
- answers (with their helpful votes and edit history, which hang off the answers, and
  the comments under them); comments on the duplicate's question stay with it, hidden
  with the stub: they are about a question the main thread's readers do not see;
- followers: each follower of the duplicate follows the main thread, once;
- me-too votes: each voter of the duplicate — and its asker, who had the problem
  too — counts on the main thread, once; the main thread's asker is never a voter
  (the forum's own rule).

Counters of both threads are recomputed from the rows (not adjusted), both statuses
are refreshed, and both search documents are rewritten in the same transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts import rules
from forum import hooks, indexing, listcounts
from forum.actions.threads import people_from_rows, refresh_status
from forum.errors import InvalidAction, NotAllowed
from forum.models import Comment, Follow, MeToo, Post, Thread


def merge_thread(duplicate: Thread, into: Thread, by) -> tuple[Thread, Thread]:
    """Move the duplicate's answers, followers and me-too votes to `into`, then hide the
    duplicate. Returns the locked (duplicate, into) rows as they were before the move.

    Preconditions: `by` is staff or a moderator; two different, visible threads. Call
    inside the caller's transaction when it writes more about the merge.
    """
    if not rules.may_merge(by):
        raise NotAllowed("Only staff can merge threads.")
    if duplicate.pk == into.pk:
        raise InvalidAction("A thread cannot be merged into itself.")
    with transaction.atomic():
        locked = {t.pk: t for t in Thread.objects.select_for_update().filter(pk__in=[into.pk, duplicate.pk])}
        dup, main = locked[duplicate.pk], locked[into.pk]
        if dup.is_deleted or main.is_deleted:
            raise InvalidAction("A deleted thread cannot be merged.")
        now = timezone.now()

        Comment.objects.filter(post__thread=dup).update(thread=main)
        Post.objects.filter(thread=dup).update(thread=main)
        _carry_followers(dup, main)
        _carry_me_too(dup, main)

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
        listcounts.changed()  # the duplicate leaves its category's and tags' counts
        Thread.objects.filter(pk=main.pk).update(people_count=people_from_rows(main.pk))
        refresh_status(main.pk)
        refresh_status(dup.pk)
        hooks.people_changed([main.pk, dup.pk])
        indexing.index_thread(main.pk)
        indexing.index_thread(dup.pk)
    return dup, main


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
