"""The audit log entries the forum's team actions write (audit.actions.record), inside
their transactions. One place for the action names and for how a thread or an answer
is labelled there: by the question's title (public), never by an author's text."""

from __future__ import annotations

from audit.actions import record, relabel
from audit.models import AuditEntry
from forum.models import Comment, Post, Thread

THREAD_LOCK = "thread.lock"
THREAD_UNLOCK = "thread.unlock"
THREAD_DELETE = "thread.delete"
THREAD_RESTORE = "thread.restore"
THREAD_REDACT = "thread.redact"
THREAD_SOLVE = "thread.solve"
THREAD_UNSOLVE = "thread.unsolve"
THREAD_AUTO_SOLVE = "thread.auto_solve"
POST_DELETE = "post.delete"
POST_RESTORE = "post.restore"
POST_REDACT = "post.redact"
POST_OFFICIAL = "post.official"
POST_UNOFFICIAL = "post.unofficial"
POST_ACCEPT = "post.accept"
POST_UNACCEPT = "post.unaccept"
COMMENT_EDIT = "comment.edit"
COMMENT_DELETE = "comment.delete"
COMMENT_RESTORE = "comment.restore"
COMMENT_REDACT = "comment.redact"

ACTIONS = {
    THREAD_LOCK: "Locked a question",
    THREAD_UNLOCK: "Unlocked a question",
    THREAD_DELETE: "Hid a question",
    THREAD_RESTORE: "Restored a question",
    THREAD_REDACT: "Edited personal data out of a question",
    THREAD_SOLVE: "Marked a question solved",
    THREAD_UNSOLVE: "Took back a question's solved mark",
    THREAD_AUTO_SOLVE: 'Solved a question automatically (no reply to "Did this fix it?")',
    POST_DELETE: "Hid an answer",
    POST_RESTORE: "Restored an answer",
    POST_REDACT: "Edited personal data out of an answer",
    POST_OFFICIAL: "Marked an answer official",
    POST_UNOFFICIAL: "Unmarked an official answer",
    POST_ACCEPT: "Accepted a solution for the asker",
    POST_UNACCEPT: "Took back a solution for the asker",
    COMMENT_EDIT: "Edited someone's comment",
    COMMENT_DELETE: "Hid a comment",
    COMMENT_RESTORE: "Restored a comment",
    COMMENT_REDACT: "Edited personal data out of a comment",
}


def thread_entry(by, action: str, thread: Thread, reason: str = "", **details):
    return record(by, action, thread, kind="thread", reason=reason, **details)


def post_entry(by, action: str, post: Post, thread: Thread, reason: str = "", **details):
    return record(
        by, action, kind="post", target_id=post.pk, label=f"Answer on “{thread.title}”",
        url=f"{thread.get_absolute_url()}#post-{post.pk}", reason=reason, thread_id=thread.pk, **details,
    )  # fmt: skip


def comment_label(thread: Thread) -> str:
    return f"Comment on “{thread.title}”"


def comment_entry(by, action: str, comment: Comment, thread: Thread, reason: str = "", **details):
    return record(
        by, action, kind="comment", target_id=comment.pk, label=comment_label(thread),
        url=f"{thread.get_absolute_url()}#comment-{comment.pk}", reason=reason, thread_id=thread.pk, **details,
    )  # fmt: skip


def relabel_thread(thread: Thread) -> None:
    """After a redaction changed the title: entries about the question, its answers and
    its comments stop repeating the old title (and the old slug in their addresses)."""
    relabel("thread", thread.pk, thread.title, thread.get_absolute_url())
    logged = AuditEntry.objects.filter(target_kind="post", details__thread_id=thread.pk)
    for post_id in set(logged.values_list("target_id", flat=True)):
        relabel("post", post_id, f"Answer on “{thread.title}”", f"{thread.get_absolute_url()}#post-{post_id}")
    logged = AuditEntry.objects.filter(target_kind="comment", details__thread_id=thread.pk)
    for comment_id in set(logged.values_list("target_id", flat=True)):
        relabel(
            "comment", comment_id, comment_label(thread), f"{thread.get_absolute_url()}#comment-{comment_id}"
        )
