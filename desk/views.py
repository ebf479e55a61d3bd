"""/desk/: the queue, claims, notes, the team's workload, one's own desk settings, saved
replies, duplicate decisions. Staff only (desk.access), except the unsubscribe link in
the desk's emails (at the end)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from desk import actions, notifications, priority, queries, replies, workload
from desk.access import access_desk, access_desk_thread, access_reply_to_change
from desk.forms import DeskSettingsForm, HandOverForm, NoteForm, QueueFilterForm, ReplyForm
from desk.models import SavedReply
from desk.permissions import may_change_reply
from duplicates import clusters
from duplicates.models import ClusterMembership, DuplicateLink
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
    page = _queue_page(request, filters, t)
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


def _queue_page(request, filters: queries.Filters, t: priority.Tiers) -> Page:
    """The page asked for (as Paginator.get_page: not a number, the first; past the end,
    the last), its rows and the total read together (queries.queue_page)."""
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        number = 1
    values, total = queries.queue_page(request.user, filters, t, number, PER_PAGE)
    paginator = Paginator([], PER_PAGE)
    paginator.count = total  # known already: no COUNT query
    if number > paginator.num_pages:  # past the end (rare): read the last page
        number = paginator.num_pages
        values, _ = queries.queue_page(request.user, filters, t, number, PER_PAGE, count=False)
    return Page(values, number, paginator)


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
        messages.error(request, "Choose a colleague or a team to hand this to.")
        return redirect(back_to(request, thread.get_absolute_url()))
    to = form.cleaned_data["to"]
    try:
        actions.hand_over(request.user, thread, to)
    except ForumError as error:
        return _refused(request, error, thread.get_absolute_url())
    return _done(request, f"Handed to {to}.", thread.get_absolute_url())


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
    profile = queries.profile_for(request.user)
    initial = {"notify_reminders": True, "notify_replies": True}
    if profile is not None:
        initial = {
            "notify_new_threads": profile.notify_new_threads,
            "notify_reminders": profile.notify_reminders,
            "notify_replies": profile.notify_replies,
            "areas": [c.pk for c in profile.areas.all()],
        }
    context = {
        "team": workload.team_workload(queries.now()),
        "teams": workload.teams(),
        "on_duty": profile.on_duty if profile is not None else True,
        "settings_form": DeskSettingsForm(initial=initial),
    }
    return render(request, "desk/team.html", context)


@require_POST
def save_settings(request):
    access_desk(request.user)
    form = DeskSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose product areas from the list.")
        return redirect(reverse("desk:team") + "#my-desk")
    data = form.cleaned_data
    actions.save_settings(
        request.user,
        areas=[c.pk for c in data["areas"]],
        notify_new_threads=data["notify_new_threads"],
        notify_reminders=data["notify_reminders"],
        notify_replies=data["notify_replies"],
    )
    messages.success(request, "Your desk settings are saved.")
    return redirect(reverse("desk:team") + "#my-desk")


@require_POST
def duty(request):
    access_desk(request.user)
    on = request.POST.get("on_duty") == "1"
    actions.set_on_duty(request.user, on)
    messages.success(request, "You are on duty." if on else "You are off duty: nothing is handed to you.")
    return redirect(back_to(request, "/desk/team/"))


@require_GET
def links(request):
    """Duplicate decisions waiting for staff, most people reached first; each row decides
    in place with htmx (decide_link), or posts and comes back here without JavaScript."""
    access_desk(request.user)
    return render(request, "desk/links.html", {"links": queries.pending_links()})


def _decided(link: DuplicateLink) -> tuple[str, int | None]:
    """What a decision did, in words, and the cluster the pair is now in (if confirmed)."""
    if link.state != DuplicateLink.State.CONFIRMED:
        return "Marked as not the same", None
    membership = ClusterMembership.objects.filter(thread_id=link.low_id).first()
    if membership is None:  # nothing joined: e.g. a thread was deleted meanwhile
        return "Confirmed", None
    people = clusters.people_affected(membership.cluster_id)
    return f"Confirmed — now reaching {people} {'person' if people == 1 else 'people'}", membership.cluster_id


@require_POST
def decide_link(request, link_id: int):
    """ "Same problem" / "Not the same" from /desk/links/. For htmx the answer is the row's
    replacement (its result, or why it was refused); without JavaScript, back to the list
    with a message."""
    access_desk(request.user)
    try:
        link = actions.decide_link(request.user, link_id, request.POST.get("decision", ""))
    except ForumError as error:
        if not request.htmx:
            return _refused(request, error, reverse("desk:links"))
        link = DuplicateLink.objects.select_related("low", "high").filter(pk=link_id).first()
        context = {"link": link, "error": str(error)}
        return render(request, "desk/includes/link_row.html", context)
    result, cluster_id = _decided(link)
    if request.htmx:
        context = {"link": link, "result": result, "cluster_id": cluster_id}
        return render(request, "desk/includes/link_row.html", context)
    messages.success(request, f"{result}: “{link.low.title}” and “{link.high.title}”.")
    return redirect("desk:links")


# --- saved replies ---------------------------------------------------------------------------


def _replies_page(request, form: ReplyForm, *, status: int = 200):
    user = request.user
    rows = list(SavedReply.objects.visible_to(user).select_related("owner"))
    warnings = replies.unavailable(rows)
    for reply in rows:
        reply.warnings = warnings.get(reply.pk, [])
        reply.may_change = may_change_reply(user, reply)
    mine = [r for r in rows if r.owner_id == user.pk]
    context = {
        "form": form,
        "mine": mine,
        "team": [r for r in rows if r.owner_id != user.pk],
        "limit": actions.REPLY_LIMIT,
    }
    return render(request, "desk/replies.html", context, status=status)


def _shown(reply: SavedReply) -> str:
    """The replies page, scrolled to this reply (highlighted there by :target)."""
    return f"{reverse('desk:replies')}#reply-{reply.pk}"


@require_GET
def saved_replies(request):
    access_desk(request.user)
    return _replies_page(request, ReplyForm())


@require_POST
def new_reply(request):
    access_desk(request.user)
    form = ReplyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reply = actions.create_reply(request.user, data["title"], data["body"], shared=data["shared"])
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            where = "shared with the team" if reply.shared else "only you see it"
            messages.success(
                request, f"Saved “{reply.title}” ({where}). Insert it from the staff panel on any question."
            )
            return redirect(_shown(reply))
    return _replies_page(request, form, status=400)


@require_http_methods(["GET", "POST"])
def edit_reply(request, reply_id: int):
    reply = access_reply_to_change(request.user, reply_id)
    if request.method == "GET":
        form = ReplyForm(initial={"title": reply.title, "body": reply.body_md, "shared": reply.shared})
        return render(request, "desk/reply_edit.html", {"form": form, "reply": reply})
    form = ReplyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reply = actions.edit_reply(
                request.user, reply, data["title"], data["body"], shared=data["shared"]
            )
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved your changes to “{reply.title}”.")
            return redirect(_shown(reply))
    return render(request, "desk/reply_edit.html", {"form": form, "reply": reply}, status=400)


@require_POST
def delete_reply(request, reply_id: int):
    reply = access_reply_to_change(request.user, reply_id)
    try:
        actions.delete_reply(request.user, reply)
    except ForumError as error:
        return _refused(request, error, reverse("desk:replies"))
    messages.success(request, f"Deleted “{reply.title}”.")
    return redirect("desk:replies")


@csrf_exempt  # the signed token is the credential; one-click POSTs from mail clients carry no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """The one desk URL that is not staff-only: the link in a desk email stops that kind
    of email without signing in. GET shows a button (a mail scanner that opens links
    must not unsubscribe anyone); POST, or an RFC 8058 one-click POST, does it."""
    found = notifications.read_unsubscribe_token(token)
    person = User.objects.filter(pk=found[0]).first() if found else None
    if person is None:
        return render(request, "desk/unsubscribe.html", {"invalid": True}, status=404)
    kind = found[1]
    if request.method == "POST":
        actions.stop_emails(person, kind)
        return render(request, "desk/unsubscribe.html", {"done": True, "kind": kind})
    return render(request, "desk/unsubscribe.html", {"kind": kind})
