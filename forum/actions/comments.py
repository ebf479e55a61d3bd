"""Writes to comments: comment, edit, delete, restore, redact (docs/forum.md, "Comments").

A comment is short (COMMENT_MAX characters of inline Markdown), sits under the question
or under one answer, and is never an answer: it leaves `answer_count` and the status
alone. It does count for the wait for staff (waiting_since_from_rows): every action here
recomputes it in its own transaction, through refresh_status.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts import rules
from forum import permissions, spam
from forum.actions import auditing
from forum.actions.threads import refresh_status
from forum.actions.votes import follow
from forum.errors import InvalidAction, NotAllowed
from forum.markdown import mask_personal_data, render_markdown
from forum.models import COMMENT_MAX, Comment, Post, Thread
from forum.notifications import COMMENT_EVENT, NOTIFY_JOB
from jobs import outbox

COMMENT_MIN = 2


def too_long_message(length: int) -> str:
    return (
        f"A comment can have at most {COMMENT_MAX} characters; yours has {length:,}. Shorten it, "
        "or post it as an answer if it is a fix or a workaround."
    )


def check_comment(body: str) -> str:
    body = body.strip()
    if len(body) < COMMENT_MIN:
        raise InvalidAction("Please write a comment first.")
    if len(body) > COMMENT_MAX:
        raise InvalidAction(too_long_message(len(body)))
    return body


def render_comment(body: str) -> str:
    return render_markdown(body, lite=True)


def add_comment(thread: Thread, author, body: str, *, post: Post | None = None, created_at=None) -> Comment:
    """Comment on the question (`post` None) or under one of its answers.

    Preconditions: none. Refuses as answering does (people who may not post; locked or
    deleted threads), a deleted answer, and bad or spammy text. A member of the team
    follows the thread (to hear the reply), and records the first staff response if it
    is the team's first reply. The people it concerns are emailed after commit
    (forum.notifications, "Comments")."""
    if not rules.may_post(author):
        raise NotAllowed(rules.posting_refusal(author, "comment"))
    if post is not None and post.thread_id != thread.pk:
        raise InvalidAction("That answer belongs to another question.")
    body = mask_personal_data(check_comment(body))
    body_html = render_comment(body)
    spam.check("comment", author, body, body_html)
    now = created_at or timezone.now()
    with transaction.atomic():
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        if current.is_deleted:
            raise InvalidAction("This question was deleted.")
        if current.is_locked:
            raise InvalidAction("This thread is locked: it takes no new comments.")
        if post is not None and Post.objects.filter(pk=post.pk, is_deleted=True).exists():
            raise InvalidAction("This answer was deleted: it takes no new comments.")
        comment = Comment.objects.create(
            thread=current, post=post, author=author, body_md=body, body_html=body_html, created_at=now
        )
        Thread.objects.filter(pk=current.pk).update(last_activity_at=now)
        if rules.is_team(author):
            # "Which version are you on?" is the team's reply: the customer got a response.
            Thread.objects.filter(pk=current.pk, first_staff_response_at__isnull=True).update(
                first_staff_response_at=now
            )
            follow(author, current)
        refresh_status(current.pk)
        outbox.enqueue(
            NOTIFY_JOB,
            {"event": COMMENT_EVENT, "comment_id": comment.pk, "actor_id": author.pk},
            dedupe_key=f"notify:{COMMENT_EVENT}:{comment.pk}",
        )
    return comment


def edit_comment(comment: Comment, editor, body: str) -> Comment:
    """Change a comment's text: its author within permissions.COMMENT_EDIT_WINDOW, the team
    at any time. No revision is kept (a comment is short, and the window is short); a team
    member's edit of someone else's comment is written to the audit log instead."""
    body = mask_personal_data(check_comment(body))
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=comment.thread_id)
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if not permissions.can_edit_comment(editor, current, thread):
            if editor.pk == current.author_id and not current.is_deleted:
                minutes = int(permissions.COMMENT_EDIT_WINDOW.total_seconds() // 60)
                raise NotAllowed(
                    f"A comment can be edited for {minutes} minutes after it is posted. "
                    "Delete it and write a new one instead."
                )
            raise NotAllowed("You can't edit this comment.")
        if body == current.body_md:
            return current
        current.body_md = body
        current.body_html = render_comment(body)
        spam.check("comment", editor, body, current.body_html, new_text=False)
        current.edited_at = timezone.now()
        current.save(update_fields=["body_md", "body_html", "edited_at"])
        if editor.pk != current.author_id:
            auditing.comment_entry(editor, auditing.COMMENT_EDIT, current, thread)
    return current


def delete_comment(comment: Comment, by, *, reason: str = "", automatic: bool = False) -> bool:
    """Soft-delete a comment: hidden from everyone but staff and moderators, restorable by
    moderators. Its author may delete it; so may moderators (written to the audit log).
    `automatic`: hidden by the site itself after reports (as delete_post). Recomputes the
    wait: a deleted reply no longer counts."""
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=comment.thread_id)
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if not automatic and not permissions.can_delete_comment(by, current):
            raise NotAllowed("Only its author or a moderator can delete a comment.")
        done = Comment.objects.filter(pk=current.pk, is_deleted=False).update(
            is_deleted=True, deleted_at=timezone.now(), deleted_by=None if automatic else by
        )
        if not done:
            return False
        refresh_status(thread.pk)
        if automatic:
            auditing.comment_entry(None, auditing.COMMENT_DELETE, current, thread, reason, automatic=True)
        elif by.pk != current.author_id:
            auditing.comment_entry(by, auditing.COMMENT_DELETE, current, thread, reason)
    return True


def restore_comment(comment: Comment, by, *, reason: str = "") -> bool:
    if not rules.may_delete(by):
        raise NotAllowed("Only moderators can restore a comment.")
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=comment.thread_id)
        done = Comment.objects.filter(pk=comment.pk, is_deleted=True).update(
            is_deleted=False, deleted_at=None, deleted_by=None
        )
        if not done:
            return False
        refresh_status(thread.pk)
        auditing.comment_entry(by, auditing.COMMENT_RESTORE, comment, thread, reason)
    return True


def redact_comment(comment: Comment, by, body: str, reason: str) -> Comment:
    """A moderator's "edit out personal data": the text is replaced (a comment keeps no
    history, so nothing else holds the old text), with the reason in the audit log."""
    if not rules.may_moderate(by):
        raise NotAllowed("Only moderators can edit personal data out of a post.")
    reason = reason.strip()
    if not reason:
        raise InvalidAction("Please give a reason: it is kept in the audit log.")
    body = mask_personal_data(check_comment(body))
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=comment.thread_id)
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        current.body_md = body
        current.body_html = render_comment(body)
        current.edited_at = timezone.now()
        current.save(update_fields=["body_md", "body_html", "edited_at"])
        auditing.comment_entry(by, auditing.COMMENT_REDACT, current, thread, reason)
    return current
