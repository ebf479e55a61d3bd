"""The moderation pages. Each view checks access (moderation.access), validates with a
form, calls one action, and renders or redirects. Buttons work without JavaScript; the
report form also works in place with htmx."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import sign_in_first
from accounts.models import User
from audit.actions import described
from audit.models import AuditEntry
from forum.errors import ForumError
from moderation import actions, queries
from moderation.access import (
    access_person_to_moderate,
    access_target,
    access_target_to_moderate,
    require_audit_reader,
    require_moderator,
)
from moderation.forms import AuditFilterForm, BanForm, ReasonForm, RedactForm, ReportForm, SuspendForm
from moderation.targets import KINDS


def _report_page(request, kind: str, object_id: int, **_) -> str:
    return access_target(request.user, kind, object_id).url


@require_http_methods(["GET", "POST"])
@sign_in_first(page=_report_page)
def report(request, kind: str, object_id: int):
    """GET: the form (a fragment for htmx, else a page). POST: report it."""
    target = access_target(request.user, kind, object_id)
    inline = bool(request.htmx)
    if request.GET.get("cancel"):
        tool = {"kind": kind, "object_id": object_id, "reported": False, "moderator": False}
        return render(request, "moderation/includes/report_tool.html", tool)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report(request.user, target, form.cleaned_data["reason"], form.cleaned_data["note"])
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            if inline:
                return render(request, "moderation/includes/report_done.html", {"target": target})
            messages.success(request, "Reported — thank you. A moderator will look at it.")
            return redirect(target.url)
    context = {"target": target, "form": form, "inline": inline}
    status = 400 if form.errors and not inline else 200  # htmx swaps only 2xx
    if inline:
        return render(request, "moderation/includes/report_form.html", context, status=status)
    return render(request, "moderation/report.html", context, status=status)


@require_GET
def queue(request):
    require_moderator(request.user)
    page = queries.queue_page(request.GET.get("page"))
    return render(request, "moderation/queue.html", {"page": page})


def _case_context(request, target, **forms):
    person = target.author
    context = {
        "item": queries.case_for(target),
        "target": target,
        "person": person,
        "hide_form": ReasonForm(prefix="hide"),
        "lock_form": ReasonForm(prefix="lock"),
        "dismiss_form": ReasonForm(prefix="dismiss", initial={"reason": "Not a problem."}),
        "redact_form": RedactForm(
            prefix="redact",
            has_title=target.kind == "thread",
            initial={"title": target.title, "body": target.obj.body_md},
        ),
        "suspend_form": SuspendForm(prefix="suspend"),
        "lift_form": ReasonForm(prefix="lift"),
        "ban_form": BanForm(prefix="ban"),
    }
    context.update(forms)
    return context


@require_GET
def case(request, kind: str, object_id: int):
    target = access_target_to_moderate(request.user, kind, object_id)
    return render(request, "moderation/case.html", _case_context(request, target))


def _decided(request, target, form_name: str, form, do, done: str):
    """Run `do(reason)` for a valid form; on a refusal or a bad form, the case page again."""
    if form.is_valid():
        try:
            do(form.cleaned_data)
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("moderation:case", target.kind, target.object_id)
    context = _case_context(request, target, **{form_name: form})
    return render(request, "moderation/case.html", context, status=400)


@require_POST
def hide(request, kind: str, object_id: int):
    """Hide, or restore with restore=1."""
    target = access_target_to_moderate(request.user, kind, object_id)
    form = ReasonForm(request.POST, prefix="hide")
    if request.POST.get("restore"):
        do = lambda data: actions.restore(target, request.user, data["reason"])  # noqa: E731
        return _decided(request, target, "hide_form", form, do, f"The {target.noun} is visible again.")
    do = lambda data: actions.hide(target, request.user, data["reason"])  # noqa: E731
    return _decided(
        request, target, "hide_form", form, do, f"The {target.noun} is hidden. Its author is told why."
    )


@require_POST
def redact(request, kind: str, object_id: int):
    target = access_target_to_moderate(request.user, kind, object_id)
    form = RedactForm(request.POST, prefix="redact", has_title=target.kind == "thread")

    def do(data):
        actions.redact(target, request.user, data["reason"], data["body"], data.get("title"))

    done = "Saved. The earlier versions in its history are removed; the author is told."
    return _decided(request, target, "redact_form", form, do, done)


@require_POST
def lock(request, kind: str, object_id: int):
    target = access_target_to_moderate(request.user, kind, object_id)
    form = ReasonForm(request.POST, prefix="lock")
    unlock = bool(request.POST.get("unlock"))
    do = lambda data: actions.lock(target, request.user, data["reason"], unlock=unlock)  # noqa: E731
    done = "The question takes answers again." if unlock else "The question is locked."
    return _decided(request, target, "lock_form", form, do, done)


@require_POST
def dismiss(request, kind: str, object_id: int):
    target = access_target_to_moderate(request.user, kind, object_id)
    form = ReasonForm(request.POST, prefix="dismiss")
    do = lambda data: actions.dismiss(target, request.user, data["reason"])  # noqa: E731
    return _decided(request, target, "dismiss_form", form, do, "Reports dismissed.")


def _person_decided(request, form, do, done: str):
    """Run `do(data)` for a valid form; say how it went and go back to the post's page
    the form was on (kind and object_id), or to the queue."""
    if form.is_valid():
        try:
            do(form.cleaned_data)
        except ForumError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    kind, object_id = request.POST.get("kind", ""), request.POST.get("object_id", "")
    if kind in KINDS and object_id.isdigit() and len(object_id) <= 18:
        return redirect("moderation:case", kind, int(object_id))
    return redirect("moderation:queue")


@require_POST
def suspend(request, person_id: int):
    """Suspend for some days, or lift a suspension with lift=1."""
    person = access_person_to_moderate(request.user, person_id)
    if request.POST.get("lift"):
        form = ReasonForm(request.POST, prefix="lift")
        do = lambda data: actions.lift_suspension(person, request.user, data["reason"])  # noqa: E731
        return _person_decided(request, form, do, f"{person.display_name} can post again.")
    form = SuspendForm(request.POST, prefix="suspend")
    do = lambda data: actions.suspend(person, request.user, data["days"], data["reason"])  # noqa: E731
    return _person_decided(request, form, do, f"{person.display_name} is suspended and told why by email.")


@require_POST
def ban(request, person_id: int):
    person = access_person_to_moderate(request.user, person_id)
    form = BanForm(request.POST, prefix="ban")
    do = lambda data: actions.ban(person, request.user, data["reason"], spam=data["spam"])  # noqa: E731
    return _person_decided(request, form, do, f"{person.display_name}'s account is closed.")


@require_GET
def audit_log(request):
    require_audit_reader(request.user)
    # Everyone who appears in the log, by name (former team members too): one query.
    people = list(User.objects.filter(pk__in=AuditEntry.objects.values("actor")).order_by("display_name"))
    form = AuditFilterForm(request.GET or None, actions=described(), team=people)
    filters = form.filters() if form.is_valid() else {}
    page = queries.audit_page(queries.audit_entries(**filters), request.GET.get("page"))
    return render(request, "moderation/audit.html", {"form": form, "page": page})
