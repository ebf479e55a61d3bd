"""Every write moderation makes. Plain functions: no request, usable from views, tasks,
commands and tests. Each raises forum.errors.NotAllowed or InvalidAction when it
refuses, with a message meant for the person who tried.

The post itself is always changed by its own app's action (forum's delete, restore,
lock, redact: they write their audit entries); moderation adds the reports, the case,
the audit entries for what it owns (dismissals, suspensions, bans) and the email to
the author, all in one transaction. Emails go through the outbox after commit.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import actions as account_actions
from accounts import rules
from audit.actions import record
from forum import actions as forum_actions
from forum.errors import InvalidAction, NotAllowed
from moderation import notifications
from moderation.models import NOTE_MAX, Case, Report
from moderation.targets import KINDS, Target

SUSPEND_MAX_DAYS = 365

# The audit log's words for what moderation writes there itself.
AUDIT_ACTIONS = {
    "reports.dismiss": "Dismissed reports",
    "user.suspend": "Suspended someone",
    "user.unsuspend": "Lifted a suspension",
    "user.ban": "Banned someone",
}


def _require_moderator(by) -> None:
    if not rules.may_moderate(by):
        raise NotAllowed("Only moderators can do this.")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidAction("Please give a reason: it is kept in the audit log and told to the author.")
    return reason[:1000]


# --- reports --------------------------------------------------------------------------


def report(reporter, target: Target, reason: str, note: str = "") -> bool:
    """`reporter` reports `target`: once per person per post (False on a repeat).

    Precondition: the reporter may see the target (the view asked its access helper).
    Refuses people who may not post (signed out, unverified, suspended), one's own post
    and a hidden one. When the open reports of trusted people reach
    MODERATION_AUTO_HIDE_REPORTS, the post is hidden at once through its app's action,
    written to the audit log as the site's own action, until a moderator reviews it.
    """
    if not rules.may_report(reporter):
        raise NotAllowed(rules.posting_refusal(reporter, "report posts"))
    if reason not in Report.Reason.values:
        raise InvalidAction("Please choose what is wrong with it.")
    if target.author.pk == reporter.pk:
        raise InvalidAction(f"This is your own {target.noun}: edit it instead.")
    if target.is_hidden:
        raise InvalidAction(f"This {target.noun} is already hidden.")
    trusted = rules.is_trusted(reporter)
    now = timezone.now()
    with transaction.atomic():
        case, _ = Case.objects.get_or_create(kind=target.kind, object_id=target.object_id)
        case = Case.objects.select_for_update().get(pk=case.pk)
        try:
            with transaction.atomic():
                Report.objects.create(
                    case=case, reporter=reporter, reason=reason, note=note.strip()[:NOTE_MAX],
                    trusted=trusted, created_at=now,
                )  # fmt: skip
        except IntegrityError:
            return False
        Case.objects.filter(pk=case.pk).update(
            open_reports=F("open_reports") + 1,
            open_trusted=F("open_trusted") + int(trusted),
            opened_at=case.opened_at or now,
        )
        case.refresh_from_db()
        if case.open_trusted >= settings.MODERATION_AUTO_HIDE_REPORTS:
            reason_text = (
                f"Reported by {case.open_trusted} trusted people: hidden until a moderator reviews it."
            )
            if KINDS[target.kind].hide(target, None, reason_text, automatic=True):
                Case.objects.filter(pk=case.pk).update(auto_hidden_at=now)
    return True


def _close_reports(target: Target, by, decision: str) -> Case | None:
    """A moderator decided about this post: its open reports leave the queue."""
    now = timezone.now()
    case = Case.objects.select_for_update().filter(kind=target.kind, object_id=target.object_id).first()
    if case is None:
        return None
    Report.objects.filter(case=case, reviewed_at__isnull=True).update(reviewed_at=now)
    Case.objects.filter(pk=case.pk).update(
        open_reports=0, open_trusted=0, opened_at=None, reviewed_at=now, reviewed_by=by, decision=decision
    )
    return case


# --- decisions about a post --------------------------------------------------------------


def hide(target: Target, by, reason: str) -> bool:
    """Hide a question or answer (soft delete: the team still sees it) and tell its author
    why. Closes its reports. False if it was hidden already (the reports still close)."""
    _require_moderator(by)
    reason = _reason(reason)
    with transaction.atomic():
        done = KINDS[target.kind].hide(target, by, reason)
        _close_reports(target, by, Case.Decision.HIDDEN)
        if done:
            notifications.tell_author(target, "hide", reason)
    return done


def restore(target: Target, by, reason: str) -> bool:
    """Make a hidden question or answer visible again and tell its author."""
    _require_moderator(by)
    reason = _reason(reason)
    with transaction.atomic():
        done = KINDS[target.kind].restore(target, by, reason)
        _close_reports(target, by, Case.Decision.RESTORED)
        if done:
            notifications.tell_author(target, "restore", reason)
    return done


def redact(target: Target, by, reason: str, body: str, title: str | None = None) -> None:
    """Edit personal data out of a post: the new text replaces it and every earlier
    version in its history is scrubbed (forum.actions.redact_*). Tells the author."""
    _require_moderator(by)
    reason = _reason(reason)
    with transaction.atomic():
        KINDS[target.kind].redact(target, by, reason, body, title)
        _close_reports(target, by, Case.Decision.REDACTED)
        notifications.tell_author(target, "redact", reason)


def lock(target: Target, by, reason: str, *, unlock: bool = False) -> bool:
    """Lock (or unlock) the question a post belongs to, and tell the asker."""
    if not rules.may_lock(by):
        raise NotAllowed("Only staff and moderators can lock a thread.")
    reason = _reason(reason)
    thread_target = KINDS["thread"].target(target.thread)
    with transaction.atomic():
        act = forum_actions.unlock_thread if unlock else forum_actions.lock_thread
        done = act(target.thread, by, reason=reason)
        if done:
            notifications.tell_author(thread_target, "unlock" if unlock else "lock", reason)
    return done


def dismiss(target: Target, by, reason: str) -> bool:
    """Not a problem: the open reports close; a post the site hid automatically after
    reports is visible again. False if there was nothing open to dismiss."""
    _require_moderator(by)
    reason = _reason(reason)
    with transaction.atomic():
        case = Case.objects.filter(kind=target.kind, object_id=target.object_id).first()
        if case is None or case.open_reports == 0:
            return False
        count = case.open_reports
        _close_reports(target, by, Case.Decision.DISMISSED)
        if case.auto_hidden_at and target.hidden_automatically:
            KINDS[target.kind].restore(target, by, f"Reports dismissed: {reason}")
        record(
            by, "reports.dismiss", kind=target.kind if target.kind != "answer" else "post",
            target_id=target.object_id, label=_label(target), url=target.url, reason=reason, reports=count,
        )  # fmt: skip
    return True


def _label(target: Target) -> str:
    if target.kind == "thread":
        return target.title
    return f"{target.noun.capitalize()} on “{target.title}”"


# --- decisions about a person ----------------------------------------------------------------


def _check_person(person, by) -> None:
    if person.pk == by.pk:
        raise InvalidAction("You cannot do this to your own account.")
    if rules.is_team(person):
        raise InvalidAction(
            "Staff and moderators cannot be suspended or banned here: change their role first."
        )


def suspend(person, by, days: int, reason: str):
    """Keep `person` from posting, voting, following and reporting for `days` days
    (1..365); they keep reading, see why on every page and are told by email.
    Returns the end of the suspension."""
    _require_moderator(by)
    reason = _reason(reason)
    _check_person(person, by)
    if not 1 <= days <= SUSPEND_MAX_DAYS:
        raise InvalidAction(f"A suspension lasts 1 to {SUSPEND_MAX_DAYS} days.")
    until = timezone.now() + timedelta(days=days)
    with transaction.atomic():
        account_actions.suspend(person, until, reason)
        record(by, "user.suspend", person, kind="user", reason=reason, until=until.isoformat(), days=days)
        notifications.tell_person(person, "suspend", reason, until=until)
    return until


def lift_suspension(person, by, reason: str) -> bool:
    _require_moderator(by)
    reason = _reason(reason)
    with transaction.atomic():
        done = account_actions.lift_suspension(person)
        if done:
            record(by, "user.unsuspend", person, kind="user", reason=reason)
            notifications.tell_person(person, "unsuspend", reason)
    return done


def ban(person, by, reason: str, *, spam: bool = False) -> bool:
    """Deactivate the account: it cannot sign in, and its sessions end now. Its posts
    stay as they are (hide them one by one). The person is told by email, unless the
    account is a spammer's (`spam`): telling a spam robot only confirms the address.
    False if it was already inactive."""
    _require_moderator(by)
    reason = _reason(reason)
    _check_person(person, by)
    with transaction.atomic():
        done = account_actions.deactivate(person)
        if done:
            record(by, "user.ban", person, kind="user", reason=reason, spam=spam)
            if not spam:
                notifications.tell_person(person, "ban", reason)
    return done
