"""Reads that depend on who is looking: a link is seen through the question it is on."""

from __future__ import annotations

from django.http import Http404

from duplicates.models import DuplicateLink
from forum.access import access_thread
from forum.models import Thread


def access_link(user, link_id: int, thread_id: int) -> tuple[Thread, DuplicateLink]:
    """The link `link_id` on question `thread_id`, which this user may see (404 otherwise:
    a hidden question's links are as hidden as the question). Who may *decide* it is the
    actions' to check (clusters.can_decide)."""
    thread = access_thread(user, thread_id)
    link = DuplicateLink.objects.involving(thread.pk).filter(pk=link_id).first()
    if link is None:
        raise Http404("No such link on this question")
    return thread, link
