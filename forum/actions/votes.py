"""Me-too, helpful votes and follows: one row per person, closed by unique constraints.

Each insert runs in its own savepoint; a duplicate (double click, two tabs, a
retried request) hits the unique constraint, is rolled back to the savepoint,
and changes nothing. Counters move with F() in the same transaction as the row,
so parallel voters never lose an increment.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery

from accounts import rules
from forum.actions.threads import refresh_people
from forum.errors import InvalidAction, NotAllowed
from forum.models import Follow, HelpfulVote, MeToo, Post, Thread


def _insert(model, **fields) -> bool:
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def follow(user, thread: Thread) -> bool:
    """Get emails about this thread. Returns False if already following."""
    if not rules.may_post(user):
        raise NotAllowed(rules.posting_refusal(user, "follow questions"))
    if thread.is_deleted:
        raise InvalidAction("This question was deleted.")
    with transaction.atomic():
        created = _insert(Follow, user=user, thread=thread)
        if created:
            Thread.objects.filter(pk=thread.pk).update(follower_count=F("follower_count") + 1)
            refresh_people(thread.pk)
    return created


def follow_as_team(user, threads) -> int:
    """A staff member or moderator follows these threads (the desk, when they take a
    question): two statements, however many threads. The team is never among the
    people affected (refresh_people leaves it out), so only follower_count moves, and it
    is recounted from the rows: exact under races and repeats. Returns how many threads
    the person now follows of these. Precondition: `rules.is_team(user)`; deleted
    threads are skipped."""
    if not rules.is_team(user):
        raise NotAllowed("Only the team follows questions this way.")
    ids = sorted({t.pk for t in threads if not t.is_deleted})
    if not ids:
        return 0
    counted = Follow.objects.filter(thread=OuterRef("pk")).order_by().values("thread")
    with transaction.atomic(savepoint=False):  # part of the caller's transaction, if any
        Follow.objects.bulk_create([Follow(user=user, thread_id=pk) for pk in ids], ignore_conflicts=True)
        Thread.objects.filter(pk__in=ids).update(
            follower_count=Subquery(counted.annotate(n=Count("pk")).values("n"))
        )
    return len(ids)


def unfollow(user, thread: Thread) -> bool:
    """Stop emails about this thread. Needs no verified email: the unsubscribe
    link in an email works for anyone who got one."""
    with transaction.atomic():
        deleted, _ = Follow.objects.filter(user=user, thread=thread).delete()
        if deleted:
            Thread.objects.filter(pk=thread.pk).update(follower_count=F("follower_count") - 1)
            refresh_people(thread.pk)
    return bool(deleted)


def me_too(user, thread: Thread) -> bool:
    """ "I have this problem too": counts the person as affected and follows the
    thread for them. The asker is already counted. Returns False on a repeat."""
    if not rules.may_post(user):
        raise NotAllowed(rules.posting_refusal(user, "say you have this problem too"))
    if thread.is_deleted:
        raise InvalidAction("This question was deleted.")
    if user.pk == thread.author_id:
        raise InvalidAction("You asked this question, so you are already counted.")
    with transaction.atomic():
        created = _insert(MeToo, user=user, thread=thread)
        if created:
            Thread.objects.filter(pk=thread.pk).update(me_too_count=F("me_too_count") + 1)
            if _insert(Follow, user=user, thread=thread):
                Thread.objects.filter(pk=thread.pk).update(follower_count=F("follower_count") + 1)
            refresh_people(thread.pk)
    return created


def undo_me_too(user, thread: Thread) -> bool:
    """Take back a me-too. The follow stays (unfollow is separate)."""
    if not rules.may_post(user):
        raise NotAllowed(rules.posting_refusal(user, "vote"))
    with transaction.atomic():
        deleted, _ = MeToo.objects.filter(user=user, thread=thread).delete()
        if deleted:
            Thread.objects.filter(pk=thread.pk).update(me_too_count=F("me_too_count") - 1)
            refresh_people(thread.pk)
    return bool(deleted)


def vote_helpful(user, post: Post) -> bool:
    """One helpful vote per person per answer, never on one's own. False on a repeat."""
    if not rules.may_post(user):
        raise NotAllowed(rules.posting_refusal(user, "vote"))
    if post.author_id == user.pk:
        raise NotAllowed("You can't vote for your own answer.")
    if post.is_deleted:
        raise InvalidAction("This answer was deleted.")
    with transaction.atomic():
        created = _insert(HelpfulVote, user=user, post=post)
        if created:
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
    return created


def unvote_helpful(user, post: Post) -> bool:
    if not rules.may_post(user):
        raise NotAllowed(rules.posting_refusal(user, "vote"))
    with transaction.atomic():
        deleted, _ = HelpfulVote.objects.filter(user=user, post=post).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)
    return bool(deleted)
