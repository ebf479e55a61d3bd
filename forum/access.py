"""Reads that depend on who is looking. Deleted threads and answers are 404 for
everyone except staff and moderators, who see them with a marker."""

from __future__ import annotations

from django.http import Http404

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


def access_post(user, post_id: int) -> Post:
    """An answer the user may see, on a thread the user may see."""
    post = Post.objects.visible_to(user).select_related("thread", "author").filter(pk=post_id).first()
    if post is None or (post.thread.is_deleted and not getattr(user, "is_team", False)):
        raise Http404("No such answer")
    return post
