"""/desk/: the queue, claims, notes, the team's workload, one's own desk settings, saved
replies, duplicate decisions, insights. Staff only (desk.access), except the unsubscribe
link in the desk's emails and the public /stats/ page (at the end)."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from desk import actions, firefight, notifications, priority, queries, replies, spikes, workload
from desk import insights as insights_metrics
from desk.access import access_desk, access_desk_thread, access_reply_to_change
from desk.forms import (
    DeskSettingsForm,
    HandOverForm,
    InsightsFilterForm,
    NoteForm,
    QueueFilterForm,
    ReplyForm,
)
from desk.models import SavedReply
from desk.permissions import may_change_reply
from duplicates import clusters
from duplicates.models import ClusterMembership, DuplicateLink
from forum.errors import ForumError
from forum.models import Category
from forum.views.common import back_to
from kb import health as kb_health

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
        "spikes": list(spikes.open_alerts()),
        "repeats": firefight.nudges_for(request.user),
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
    initial = {"notify_reminders": True, "notify_replies": True, "notify_spikes": True}
    if profile is not None:
        initial = {
            "notify_new_threads": profile.notify_new_threads,
            "notify_reminders": profile.notify_reminders,
            "notify_replies": profile.notify_replies,
            "notify_spikes": profile.notify_spikes,
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
        notify_spikes=data["notify_spikes"],
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


@require_GET
def articles(request):
    """Knowledge-base articles flagged "needs review", with the evidence (kb/health.py)."""
    access_desk(request.user)
    context = {"articles": kb_health.flagged_articles(), "cuts": kb_health.cuts()}
    return render(request, "desk/articles.html", context)


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


# --- insights (issue 13, items 1 and 2; desk/insights.py, docs/insights.md) ----------------

DEFAULT_WEEKS = 12
CSV_COLUMNS = [
    ("week", "Week starting"),
    ("asked", "Questions asked"),
    ("decided", "Questions with a known 24 h outcome"),
    ("reply_p50", "First staff reply p50 (h)"),
    ("reply_p90", "First staff reply p90 (h)"),
    ("share_24h", "Staff reply within 24 h (share)"),
    ("waiting_over_24h", "Still waiting after 24 h"),
    ("solved", "Solved"),
    ("solution_p50", "Time to solution p50 (h)"),
    ("solution_p90", "Time to solution p90 (h)"),
    ("shown", "Ask-page visits shown suggestions (all areas)"),
    ("prevented", "Of those, prevented (all areas)"),
    ("deflection", "Deflection (share, all areas)"),
    ("kb_people", "People the KB helped"),
    ("fix_people", "People reached by linked fixes"),
]


def _row(bucket, label: str) -> dict:
    def hours(value):
        return None if value is None else round(value, 2)

    def ratio(value):
        return None if value is None else round(value, 4)

    return {
        "week": label,
        "start": bucket.start,
        "asked": bucket.asked,
        "decided": bucket.decided,
        "reply_p50": hours(bucket.reply_p50),
        "reply_p90": hours(bucket.reply_p90),
        "share_24h": ratio(bucket.share_24h),
        "waiting_over_24h": bucket.waiting_over_24h,
        "solved": bucket.solved,
        "solution_p50": hours(bucket.solution_p50),
        "solution_p90": hours(bucket.solution_p90),
        "shown": bucket.shown,
        "prevented": bucket.prevented,
        "deflection": ratio(bucket.deflection),
        "kb_people": bucket.kb_people,
        "fix_people": bucket.fix_people,
    }


@require_GET
def insights(request):
    access_desk(request.user)
    today = queries.now().astimezone(insights_metrics.zone()).date()
    default_start = today - timedelta(days=7 * DEFAULT_WEEKS - 1)
    form = InsightsFilterForm(request.GET or None)
    start, end, category = default_start, today, None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or default_start
        end = form.cleaned_data["end"] or today
        category = form.cleaned_data["category"]
    elif form.is_bound:  # keep what was typed where it is valid; the error says the rest
        category = form.cleaned_data.get("category")
    report = insights_metrics.report(start, end, category, now=queries.now())
    if not form.is_bound:  # show the range the figures are for
        form = InsightsFilterForm(initial={"start": report.start, "end": report.end})
    rows = [_row(week, week.start.isoformat()) for week in report.weeks]
    total = _row(report.total, "All weeks")
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        area = category.slug if category else "all-areas"
        name = f"onefix-insights-{report.start.isoformat()}-{report.end.isoformat()}-{area}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow([title for _key, title in CSV_COLUMNS])
        for row in [*rows, total]:
            writer.writerow(["" if row[key] is None else row[key] for key, _title in CSV_COLUMNS])
        return response
    chart = {
        "weeks": [r["week"] for r in rows],
        "reply_p50": [r["reply_p50"] for r in rows],
        "reply_p90": [r["reply_p90"] for r in rows],
        "share_24h": [None if r["share_24h"] is None else round(100 * r["share_24h"], 1) for r in rows],
        "solution_p50": [r["solution_p50"] for r in rows],
        "solution_p90": [r["solution_p90"] for r in rows],
        "deflection": [None if r["deflection"] is None else round(100 * r["deflection"], 1) for r in rows],
        "asked": [r["asked"] for r in rows],
        "kb_people": [r["kb_people"] for r in rows],
        "fix_people": [r["fix_people"] for r in rows],
    }
    query = request.GET.copy()
    query["format"] = "csv"
    context = {
        "form": form,
        "report": report,
        "rows": rows,
        "total": total,
        "chart": chart,
        "csv_query": query.urlencode(),
        "zone": settings.DESK_TIME_ZONE,
        "alerts": spikes.recent_alerts(),
    }
    return render(request, "desk/insights.html", context)


@require_GET
def public_stats(request):
    """/stats/, for everyone: aggregates only (desk/insights.py, public_stats)."""
    return render(request, "desk/stats.html", {"stats": insights_metrics.public_stats()})
