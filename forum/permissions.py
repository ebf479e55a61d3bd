"""May this person do this to this question, answer or comment? Used by the actions (which
enforce) and the views (which decide which buttons to show).

What each role may do is accounts' to say (accounts/rules.py); these add what the
row's state changes: authors edit their own text while the thread is open to
answers, askers accept on their own question, nobody answers a locked thread.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts import rules
from forum.models import Comment, Post, Thread

# How long the author may change a comment's text (Stack Overflow allows five minutes).
# A comment is a turn in a conversation: past this, a changed question under someone's
# reply would change what the reply answers, so it is deleted and written again.
COMMENT_EDIT_WINDOW = timedelta(minutes=10)


def can_answer(user, thread: Thread) -> bool:
    return not thread.is_locked and not thread.is_deleted and rules.may_post(user)


def can_edit_thread(user, thread: Thread) -> bool:
    if rules.may_edit_any_text(user):
        return True
    return (
        rules.may_post(user)
        and user.pk == thread.author_id
        and not thread.is_locked
        and not thread.is_deleted
    )


def can_edit_post(user, post: Post, thread: Thread) -> bool:
    if rules.may_edit_any_text(user):
        return True
    return (
        rules.may_post(user)
        and user.pk == post.author_id
        and not post.is_deleted
        and not thread.is_locked
        and not thread.is_deleted
    )


def can_accept(user, thread: Thread) -> bool:
    if rules.may_accept_any(user):
        return True
    return rules.may_post(user) and user.pk == thread.author_id


def can_answer_linked_fix(user, thread: Thread) -> bool:
    """ "Did this fix it for you too?" is the asker's to answer: they know whether it is
    still broken for them (docs/forum.md, "Solved through a linked question")."""
    return rules.may_post(user) and user.pk == thread.author_id


def can_comment(user, thread: Thread) -> bool:
    """As for answering: whoever may post, on a thread that is neither locked nor deleted."""
    return can_answer(user, thread)


def can_edit_comment(user, comment: Comment, thread: Thread, now=None) -> bool:
    """The author within COMMENT_EDIT_WINDOW of writing it (while the thread is open to
    comments); the team at any time (rules.may_edit_any_text: e.g. personal data)."""
    if rules.may_edit_any_text(user):
        return True
    now = now or timezone.now()
    return (
        rules.may_post(user)
        and user.pk == comment.author_id
        and not comment.is_deleted
        and not thread.is_locked
        and not thread.is_deleted
        and now - comment.created_at <= COMMENT_EDIT_WINDOW
    )


def can_delete_comment(user, comment: Comment) -> bool:
    """Moderators (rules.may_delete), and the author their own (a signed-in author, even a
    suspended one: taking one's own words back harms nobody). Restoring is moderators'."""
    if rules.may_delete(user):
        return True
    return rules.is_signed_in(user) and user.pk == comment.author_id and not comment.is_deleted
