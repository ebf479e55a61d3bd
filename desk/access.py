"""Who may open the desk: staff only. Everyone else (visitors, customers, moderators
without the staff role) gets 404, as if the desk were not there."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import rules
from desk.models import SavedReply
from desk.permissions import may_change_reply
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


def access_reply(user, reply_id: int) -> SavedReply:
    """A saved reply this member of staff may see: their own, or one shared with the team."""
    access_desk(user)
    reply = SavedReply.objects.visible_to(user).select_related("owner").filter(pk=reply_id).first()
    if reply is None:
        raise Http404("No such saved reply")
    return reply


def access_reply_to_change(user, reply_id: int) -> SavedReply:
    """A saved reply to edit or delete: 404 unless they may see it, then 403 unless they
    may change it (a colleague's shared reply)."""
    reply = access_reply(user, reply_id)
    if not may_change_reply(user, reply):
        raise PermissionDenied("Only the person who saved this reply (or a team lead) can change it.")
    return reply
