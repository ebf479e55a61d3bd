"""Reads that depend on who is looking, in one place.

Deleted threads and answers are 404 for everyone but those who may see hidden rows
(accounts.rules: staff and moderators), who see them with a marker. An answer on a
deleted thread is as hidden as its thread. The `_for_edit` / `_for_delete` variants
then answer 403 to people who may see the row but not open its edit or delete page;
the actions check again when the write happens (the row may have changed since).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import rules
from forum import permissions
from forum.models import Post, Thread


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
