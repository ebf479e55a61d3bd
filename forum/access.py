"""Reads that depend on who is looking, in one place.

Deleted threads, answers and comments are 404 for everyone but those who may see hidden rows
(accounts.rules: staff and moderators), who see them with a marker. An answer on a
deleted thread is as hidden as its thread; a comment, as its answer and thread. The `_for_edit` / `_for_delete` variants
then answer 403 to people who may see the row but not open its edit or delete page;
the actions check again when the write happens (the row may have changed since).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import rules
from forum import permissions
from forum.models import Comment, Post, Thread


def access_thread(user, thread_id: int) -> Thread:
    thread = (
        Thread.objects.visible_to(user)
        .select_related("author", "category", "accepted_post", "accepted_post__author")
        .prefetch_related("tags")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        raise Http404("No such question")
    return thread


def thread_url(user, thread_id: int) -> str:
    """The thread's address, if this user may see it (one small query)."""
    thread = Thread.objects.visible_to(user).filter(pk=thread_id).only("pk", "slug").first()
    if thread is None:
        raise Http404("No such question")
    return thread.get_absolute_url()


def access_thread_for_edit(user, thread_id: int) -> Thread:
    thread = access_thread(user, thread_id)
    if not permissions.can_edit_thread(user, thread):
        raise PermissionDenied("You can't edit this question.")
    return thread


def access_thread_for_delete(user, thread_id: int) -> Thread:
    """For the delete (and restore) page: moderators only."""
    thread = access_thread(user, thread_id)
    if not rules.may_delete(user):
        raise PermissionDenied("Only moderators can delete a question.")
    return thread


def access_post(user, post_id: int) -> Post:
    """An answer the user may see, on a thread the user may see."""
    post = Post.objects.visible_to(user).select_related("thread", "author").filter(pk=post_id).first()
    if post is None or (post.thread.is_deleted and not rules.may_see_hidden(user)):
        raise Http404("No such answer")
    return post


def access_post_for_edit(user, post_id: int) -> Post:
    post = access_post(user, post_id)
    if not permissions.can_edit_post(user, post, post.thread):
        raise PermissionDenied("You can't edit this answer.")
    return post


def access_post_for_delete(user, post_id: int) -> Post:
    post = access_post(user, post_id)
    if not rules.may_delete(user):
        raise PermissionDenied("Only moderators can delete an answer.")
    return post


def access_comment(user, comment_id: int) -> Comment:
    """A comment the user may see: under an answer and on a thread the user may see."""
    comment = (
        Comment.objects.visible_to(user)
        .select_related("thread", "post", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or (
        not rules.may_see_hidden(user)
        and (comment.thread.is_deleted or (comment.post_id and comment.post.is_deleted))
    ):
        raise Http404("No such comment")
    return comment


def access_comment_for_edit(user, comment_id: int) -> Comment:
    comment = access_comment(user, comment_id)
    if not permissions.can_edit_comment(user, comment, comment.thread):
        raise PermissionDenied("You can't edit this comment.")
    return comment


def access_comment_for_delete(user, comment_id: int) -> Comment:
    """For the delete page: its author and moderators; restoring: moderators (the action says)."""
    comment = access_comment(user, comment_id)
    if not permissions.can_delete_comment(user, comment):
        raise PermissionDenied("Only its author or a moderator can delete a comment.")
    return comment
