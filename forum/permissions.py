"""Who may do what. One place, used by the actions (which enforce) and the
views (which decide which buttons to show).

Every write needs an active account with a verified email (`User.can_post`).
On top of that: authors edit their own text while the thread is open to
answers; staff and moderators edit anything, always. Only staff mark answers
official. The asker or staff accept a solution. Staff and moderators lock.
Moderators delete and restore (soft).
"""

from __future__ import annotations

from forum.models import Post, Thread


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_team(user) -> bool:
    return _signed_in(user) and user.is_team


def can_post(user) -> bool:
    """Active with a verified email. Remembered on the user object for the rest of
    the request, so a page that asks once per answer makes one query, not N."""
    if not _signed_in(user):
        return False
    cached = getattr(user, "_forum_can_post", None)
    if cached is None:
        cached = user._forum_can_post = user.can_post()
    return cached


def can_answer(user, thread: Thread) -> bool:
    return not thread.is_locked and not thread.is_deleted and can_post(user)


def can_edit_thread(user, thread: Thread) -> bool:
    if is_team(user):
        return True
    return (
        _signed_in(user)
        and user.pk == thread.author_id
        and not thread.is_locked
        and not thread.is_deleted
        and can_post(user)
    )


def can_edit_post(user, post: Post, thread: Thread) -> bool:
    if is_team(user):
        return True
    return (
        _signed_in(user)
        and user.pk == post.author_id
        and not post.is_deleted
        and not thread.is_locked
        and not thread.is_deleted
        and can_post(user)
    )


def can_mark_official(user) -> bool:
    return _signed_in(user) and user.is_support_staff


def can_accept(user, thread: Thread) -> bool:
    if not _signed_in(user):
        return False
    return user.is_support_staff or (user.pk == thread.author_id and can_post(user))


def can_lock(user) -> bool:
    return is_team(user)


def can_delete(user) -> bool:
    return _signed_in(user) and user.is_moderator


def can_see_deleted(user) -> bool:
    return is_team(user)
