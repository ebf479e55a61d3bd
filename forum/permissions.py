"""May this person do this to this question or answer? Used by the actions (which
enforce) and the views (which decide which buttons to show).

What each role may do is accounts' to say (accounts/rules.py); these add what the
row's state changes: authors edit their own text while the thread is open to
answers, askers accept on their own question, nobody answers a locked thread.
"""

from __future__ import annotations

from accounts import rules
from forum.models import Post, Thread


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
