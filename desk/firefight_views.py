"""/desk/repeats/: the team's repeated answers, and "Promote" / "Not a repeat" on one
group (desk/firefight.py). Staff only (desk.access); the desk's queue shows each member
of staff their own groups (desk/includes/repeats_panel.html)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from desk import firefight
from desk.access import access_desk
from desk.models import RepeatGroup
from forum.errors import ForumError
from forum.views.common import back_to


def _group(user, group_id: int) -> RepeatGroup:
    access_desk(user)
    group = RepeatGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise Http404("No such group of replies")
    return group


@require_GET
def repeats(request):
    access_desk(request.user)
    shown, dismissed = firefight.team_groups()
    context = {
        "groups": shown,
        "dismissed": dismissed,
        "min_threads": firefight.min_threads(),
        "alike": round(100 * firefight.MIN_SIMILARITY),
    }
    return render(request, "desk/repeats.html", context)


@require_POST
def promote(request, group_id: int):
    """A draft article from the group's best reply, every thread of the group linked; the
    article's editor opens on it, prefilled."""
    group = _group(request.user, group_id)
    try:
        article = firefight.promote(group, request.user)
    except ForumError as error:
        messages.error(request, str(error))
        return redirect(back_to(request, reverse("desk:repeats")))
    messages.success(
        request,
        f"Draft article started from the best of {group.thread_count} replies, its "
        f"{group.thread_count} questions linked. Edit it, then publish: that covers them all.",
    )
    return redirect("kb:edit", article.slug)


@require_POST
def dismiss(request, group_id: int):
    group = _group(request.user, group_id)
    try:
        firefight.dismiss(group, request.user)
    except ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Marked as not a repeat: it will not be suggested again.")
    return redirect(back_to(request, reverse("desk:repeats")))
