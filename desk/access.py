"""Who may open the desk: staff only. Everyone else (visitors, customers, moderators
without the staff role) gets 404, as if the desk were not there."""

from __future__ import annotations

from django.http import Http404

from accounts import rules
from forum.models import Thread


def access_desk(user) -> None:
    if not rules.may_work_desk(user):
        raise Http404("No such page")


def access_desk_thread(user, thread_id: int) -> Thread:
    """A visible thread, for a desk action on it."""
    access_desk(user)
    thread = Thread.objects.visible().filter(pk=thread_id).first()
    if thread is None:
        raise Http404("No such question")
    return thread
