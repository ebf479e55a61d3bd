"""/desk/: the queue, claims, notes, the team's workload. Staff only (desk.access)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from desk import actions, priority, queries, workload
from desk.access import access_desk, access_desk_thread
from desk.forms import HandOverForm, NoteForm, QueueFilterForm
from forum.errors import ForumError
from forum.models import Category
from forum.views.common import back_to

PER_PAGE = 25


@require_GET
def queue(request):
    access_desk(request.user)
    form = QueueFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    category = data.get("category")
    filters = queries.Filters(
        show=data.get("show") or "unclaimed",
        category=category.slug if category else "",
        tag=data.get("tag") or "",
        tier=data.get("tier"),
    )
    t = priority.tiers(queries.now())
    page = Paginator(queries.queue_rows(request.user, filters, t), PER_PAGE).get_page(request.GET.get("page"))
    rows = queries.load_rows(list(page.object_list), t)
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "categories": Category.objects.order_by("position", "name"),
        "shows": queries.SHOW,
        "tiers": t,
        "open_claims": queries.open_claims(request.user),
        "cap": settings.DESK_CLAIM_CAP,
    }
    return render(request, "desk/queue.html", context)


def _done(request, message: str, back: str):
    messages.success(request, message)
    return redirect(back_to(request, back))


def _refused(request, error: ForumError, back: str):
    messages.error(request, str(error))
    return redirect(back_to(request, back))


@require_POST
def take(request, thread_id: int):
    thread = access_desk_thread(request.user, thread_id)
    try:
        taken = actions.take(request.user, thread)
    except ForumError as error:
        return _refused(request, error, "/desk/")
    extra = f" and {len(taken) - 1} linked question{'s' if len(taken) > 2 else ''}" if len(taken) > 1 else ""
    return _done(request, f"You took “{thread.title}”{extra}.", thread.get_absolute_url())


@require_POST
def take_next(request):
    access_desk(request.user)
    try:
        thread = actions.take_next(request.user)
    except ForumError as error:
        return _refused(request, error, "/desk/")
    if thread is None:
        messages.info(request, "Nothing unclaimed is waiting in your areas.")
        return redirect("desk:queue")
    messages.success(request, f"You took “{thread.title}”, the top of your queue.")
    return redirect(thread)


@require_POST
def release(request, thread_id: int):
    thread = access_desk_thread(request.user, thread_id)
    try:
        actions.release(request.user, thread)
    except ForumError as error:
        return _refused(request, error, thread.get_absolute_url())
    return _done(request, "Released: it is back in the queue.", thread.get_absolute_url())


@require_POST
def hand_over(request, thread_id: int):
    thread = access_desk_thread(request.user, thread_id)
    form = HandOverForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a member of staff to hand this to.")
        return redirect(back_to(request, thread.get_absolute_url()))
    to = form.cleaned_data["to"]
    try:
        actions.hand_over(request.user, thread, to)
    except ForumError as error:
        return _refused(request, error, thread.get_absolute_url())
    return _done(request, f"Handed to {to.display_name}.", thread.get_absolute_url())


@require_POST
def add_note(request, thread_id: int):
    thread = access_desk_thread(request.user, thread_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the note first (at most 5,000 characters).")
        return redirect(thread.get_absolute_url() + "#staff-notes")
    try:
        actions.add_note(request.user, thread, form.cleaned_data["body"])
    except ForumError as error:
        return _refused(request, error, thread.get_absolute_url())
    messages.success(request, "Note added. Only staff see it.")
    return redirect(thread.get_absolute_url() + "#staff-notes")


@require_GET
def team(request):
    access_desk(request.user)
    return render(request, "desk/team.html", {"team": workload.team_workload(queries.now())})


@require_POST
def duty(request):
    access_desk(request.user)
    on = request.POST.get("on_duty") == "1"
    actions.set_on_duty(request.user, on)
    messages.success(request, "You are on duty." if on else "You are off duty: nothing is handed to you.")
    return redirect(back_to(request, "/desk/team/"))


@require_GET
def links(request):
    """Duplicate decisions waiting for staff, most people reached first; each row posts to
    duplicates' own decide view and comes back here."""
    access_desk(request.user)
    return render(request, "desk/links.html", {"links": queries.pending_links()})
