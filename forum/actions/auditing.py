"""The audit log entries the forum's team actions write (audit.actions.record), inside
their transactions. One place for the action names and for how a thread or an answer
is labelled there: by the question's title (public), never by an author's text."""

from __future__ import annotations

from audit.actions import record, relabel
from audit.models import AuditEntry
from forum.models import Post, Thread

THREAD_LOCK = "thread.lock"
THREAD_UNLOCK = "thread.unlock"
THREAD_DELETE = "thread.delete"
THREAD_RESTORE = "thread.restore"
THREAD_REDACT = "thread.redact"
POST_DELETE = "post.delete"
POST_RESTORE = "post.restore"
POST_REDACT = "post.redact"
POST_OFFICIAL = "post.official"
POST_UNOFFICIAL = "post.unofficial"
POST_ACCEPT = "post.accept"
POST_UNACCEPT = "post.unaccept"

ACTIONS = {
    THREAD_LOCK: "Locked a question",
    THREAD_UNLOCK: "Unlocked a question",
    THREAD_DELETE: "Hid a question",
    THREAD_RESTORE: "Restored a question",
    THREAD_REDACT: "Edited personal data out of a question",
    POST_DELETE: "Hid an answer",
    POST_RESTORE: "Restored an answer",
    POST_REDACT: "Edited personal data out of an answer",
    POST_OFFICIAL: "Marked an answer official",
    POST_UNOFFICIAL: "Unmarked an official answer",
    POST_ACCEPT: "Accepted a solution for the asker",
    POST_UNACCEPT: "Took back a solution for the asker",
}


def thread_entry(by, action: str, thread: Thread, reason: str = "", **details):
    return record(by, action, thread, kind="thread", reason=reason, **details)


def post_entry(by, action: str, post: Post, thread: Thread, reason: str = "", **details):
    return record(
        by, action, kind="post", target_id=post.pk, label=f"Answer on “{thread.title}”",
        url=f"{thread.get_absolute_url()}#post-{post.pk}", reason=reason, thread_id=thread.pk, **details,
    )  # fmt: skip


def relabel_thread(thread: Thread) -> None:
    """After a redaction changed the title: entries about the question and its answers
    stop repeating the old title (and the old slug in their addresses)."""
    relabel("thread", thread.pk, thread.title, thread.get_absolute_url())
    logged = AuditEntry.objects.filter(target_kind="post", details__thread_id=thread.pk)
    for post_id in set(logged.values_list("target_id", flat=True)):
        relabel("post", post_id, f"Answer on “{thread.title}”", f"{thread.get_absolute_url()}#post-{post_id}")
