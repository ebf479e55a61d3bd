"""What the forum holds about a person, for accounts.privacy: export and erase.

Registered in ForumConfig.ready(). Questions, answers, comments and revisions are public
writing: they are exported and kept (shown under "a former member" once the account is
deleted), as a reply in a conversation others answered; me-too, helpful votes,
follows and followed topics only matter to the person and are erased, with the counters they fed
recomputed. Comments the person deleted themselves are erased for good: they took them
back, and nobody else needs their text (a comment a moderator hid stays, with its
audit entry).
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.privacy import iso, rows
from forum.actions.threads import refresh_people
from forum.models import Comment, Follow, HelpfulVote, MeToo, Post, Revision, Thread, TopicFollow


def export_threads(user) -> list[dict]:
    return [
        {"id": t.pk, "title": t.title, "body": t.body_md, "url": t.get_absolute_url(),
         "created_at": iso(t.created_at), "status": t.status, "deleted": t.is_deleted}
        for t in Thread.objects.filter(author=user).order_by("pk")
    ]  # fmt: skip


def export_posts(user) -> list[dict]:
    return [
        {"id": p.pk, "thread_id": p.thread_id, "body": p.body_md, "created_at": iso(p.created_at),
         "official": p.is_official, "deleted": p.is_deleted}
        for p in Post.objects.filter(author=user).order_by("pk")
    ]  # fmt: skip


def export_comments(user) -> list[dict]:
    return [
        {"id": c.pk, "thread_id": c.thread_id, "post_id": c.post_id, "body": c.body_md,
         "created_at": iso(c.created_at), "edited_at": iso(c.edited_at), "deleted": c.is_deleted}
        for c in Comment.objects.filter(author=user).order_by("pk")
    ]  # fmt: skip


def export_revisions(user) -> list[dict]:
    return [
        {"id": r.pk, "thread_id": r.thread_id, "post_id": r.post_id, "title": r.title,
         "previous_body": r.body_md, "edited_at": iso(r.edited_at)}
        for r in Revision.objects.filter(editor=user).order_by("pk")
    ]  # fmt: skip


EXPORTS = {
    "forum.Thread.author": export_threads,
    "forum.Post.author": export_posts,
    "forum.Comment.author": export_comments,
    "forum.Revision.editor": export_revisions,
    "forum.MeToo.user": rows(MeToo, "user", "thread_id", "created_at"),
    "forum.HelpfulVote.user": rows(HelpfulVote, "user", "post_id", "created_at"),
    "forum.Follow.user": rows(Follow, "user", "thread_id", "created_at"),
    "forum.TopicFollow.user": rows(
        TopicFollow, "user", "kind", "tag__name", "category__name", "query", "created_at"
    ),
    "forum.Thread.locked_by": rows(Thread, "locked_by", "title", "locked_at"),
    "forum.Thread.deleted_by": rows(Thread, "deleted_by", "title", "deleted_at"),
    "forum.Thread.marked_solved_by": rows(Thread, "marked_solved_by", "title", "marked_solved_at"),
    "forum.Post.official_by": rows(Post, "official_by", "thread_id", "official_at"),
    "forum.Post.deleted_by": rows(Post, "deleted_by", "thread_id", "deleted_at"),
    "forum.Comment.deleted_by": rows(Comment, "deleted_by", "thread_id", "post_id", "deleted_at"),
    "forum.Revision.redacted_by": rows(Revision, "redacted_by", "thread_id", "post_id", "redacted_at"),
}


def erase(user) -> None:
    """Remove the person's me-too, helpful votes, follows and the comments they deleted
    themselves; recompute what they counted. Runs inside accounts.privacy.delete_account's
    transaction."""
    Comment.objects.filter(author=user, is_deleted=True, deleted_by=user).delete()
    thread_ids = set(MeToo.objects.filter(user=user).values_list("thread_id", flat=True))
    thread_ids |= set(Follow.objects.filter(user=user).values_list("thread_id", flat=True))
    post_ids = list(HelpfulVote.objects.filter(user=user).values_list("post_id", flat=True))
    MeToo.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
    HelpfulVote.objects.filter(user=user).delete()
    TopicFollow.objects.filter(user=user).delete()

    def counted(model, key):
        rows = model.objects.filter(**{key: OuterRef("pk")}).values(key).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(rows), 0)

    Thread.objects.filter(pk__in=thread_ids).update(
        me_too_count=counted(MeToo, "thread"), follower_count=counted(Follow, "thread")
    )
    for thread_id in sorted(thread_ids):  # people affected (the desk's order, clusters' counts)
        refresh_people(thread_id)
    Post.objects.filter(pk__in=post_ids).update(helpful_count=counted(HelpfulVote, "post"))
