"""Writes to accounts. Plain functions: no request, usable anywhere.

accounts knows no app of ours, so what others must hear about a change is announced
through a registry: `register_role_changed(fn)`, `fn(user, old_role, by)` inside the
transaction of set_role (config.wiring writes it to the audit log).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import TEAM_ROLES, EmailPreference, User

_role_changed: list[Callable[..., object]] = []


def register_role_changed(fn: Callable[..., object]) -> None:
    if fn not in _role_changed:
        _role_changed.append(fn)


def set_display_name(user: User, display_name: str) -> None:
    user.display_name = display_name.strip()
    if user.pk:
        user.save(update_fields=["display_name"])


def set_role(user: User, role: str, *, by: User | None = None) -> None:
    """Change a person's role, and with it their admin access (`is_staff`): staff and
    moderators reach the admin, where their role brings its group's permissions
    (accounts.backends); a customer does not, unless a superuser. Who may call this is
    the caller's to check (rules.may_change_roles; the admin's action does).
    Precondition: role is one of User.Role."""
    if role not in User.Role.values:
        raise ValueError(f"unknown role {role!r}")
    old_role = user.role if user.pk else ""
    user.role = role
    user.is_staff = role in TEAM_ROLES or user.is_superuser
    with transaction.atomic():
        user.save(update_fields=["role", "is_staff"])
        for fn in _role_changed:
            fn(user, old_role, by)


def suspend(user: User, until: datetime, reason: str) -> None:
    """Keep `user` from posting, voting and reporting until `until` (they keep reading
    and are told why). Who may suspend whom is the caller's to check (rules.may_moderate).
    Precondition: `until` is timezone-aware and in the future."""
    if timezone.is_naive(until) or until <= timezone.now():
        raise ValueError("a suspension ends at an aware time in the future")
    User.objects.filter(pk=user.pk).update(suspended_until=until, suspension_reason=reason[:500])
    user.suspended_until, user.suspension_reason = until, reason[:500]


def lift_suspension(user: User) -> bool:
    """End a suspension early. False if there was none in force."""
    done = User.objects.filter(pk=user.pk, suspended_until__gt=timezone.now()).update(
        suspended_until=None, suspension_reason=""
    )
    user.suspended_until, user.suspension_reason = None, ""
    return bool(done)


def deactivate(user: User) -> bool:
    """Ban: the account can no longer sign in, and every session it has ends now.
    False if it was already inactive. The caller checks who may (rules.may_moderate)."""
    with transaction.atomic():
        done = User.objects.filter(pk=user.pk, is_active=True).update(is_active=False)
        end_sessions(user.pk)
    user.is_active = False
    return bool(done)


def end_sessions(user_id: int) -> None:
    """Sign the person out everywhere. Sessions are stored encoded, so each live one is read;
    the table holds only sessions of people who signed in or wrote while signed out."""
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(pk__in=doomed).delete()


def set_email_preferences(user: User, choices: dict[str, str]) -> None:
    """Save how `user` wants each kind of email (accounts.notifications); a kind left out
    (or empty) keeps its choice. "Stop all emails" stays as it is: only resume_emails
    turns it off. Precondition: kinds registered, choices among EmailPreference.Choice."""
    now = timezone.now()
    with transaction.atomic():
        for kind, choice in choices.items():
            if not choice:
                continue  # not sent: unchanged
            EmailPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"choice": choice, "updated_at": now}
            )


def stop_all_emails(user: User) -> bool:
    """Every optional email off, also kinds added later. Returns False if it already was.
    The choices per kind are kept for when the person turns emails back on."""
    _, created = EmailPreference.objects.update_or_create(
        user=user,
        kind=EmailPreference.ALL,
        defaults={"choice": EmailPreference.Choice.NEVER, "updated_at": timezone.now()},
    )
    return created


def resume_emails(user: User) -> bool:
    """Undo stop_all_emails: the choices per kind apply again."""
    return EmailPreference.objects.filter(user=user, kind=EmailPreference.ALL).delete()[0] > 0
