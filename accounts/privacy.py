"""A person's own data: download everything the site holds about them, or delete the
account (issue 11, item 10).

The apps that store rows about a person register, in their AppConfig.ready():

- `register_export(label, fn)`: `fn(user) -> list[dict]` of plain JSON values, one dict per
  row (label: the model's "app.Model", so a test can check every model that points at a
  person is covered);
- `register_erase(fn)`: `fn(user)` removes what only matters to that person (votes,
  follows, me-too, settings) and recomputes the counts those rows fed. Public posts stay:
  the account row itself is emptied to "a former member", so threads stay readable;
- `register_deletion_blocker(fn)`: `fn(user) -> str | None`, a reason the account cannot be
  deleted now (e.g. the desk's open claims);
- `register_after_delete(fn)`: `fn(user_id)` once the account is gone (config records it
  in the audit log, with no personal data).

accounts knows no other app, so it only runs what was registered.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts import rules
from accounts.actions import end_sessions
from accounts.models import User

FORMER_MEMBER = "A former member"

_exporters: dict[str, Callable[[User], list[dict]]] = {}
_erasers: list[Callable[[User], None]] = []
_blockers: list[Callable[[User], str | None]] = []
_after_delete: list[Callable[[int], None]] = []


class CannotDeleteError(Exception):
    """The account cannot be deleted now; the message says why."""


def iso(value):
    """A datetime as ISO 8601 text for the download; anything else as it is."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def rows(model, field: str, *values: str) -> Callable[[User], list[dict]]:
    """An exporter: the `values` of every `model` row whose `field` is the person."""

    def export(user) -> list[dict]:
        found = model.objects.filter(**{field: user}).order_by("pk").values("pk", *values)
        return [{key: iso(value) for key, value in row.items()} for row in found]

    return export


def register_export(label: str, fn: Callable[[User], list[dict]]) -> None:
    _exporters[label] = fn


def register_erase(fn: Callable[[User], None]) -> None:
    if fn not in _erasers:
        _erasers.append(fn)


def register_deletion_blocker(fn: Callable[[User], str | None]) -> None:
    if fn not in _blockers:
        _blockers.append(fn)


def register_after_delete(fn: Callable[[int], None]) -> None:
    if fn not in _after_delete:
        _after_delete.append(fn)


def exported_labels() -> set[str]:
    return {*_exporters, "accounts.User", "account.EmailAddress"}


def export_data(user: User) -> dict:
    """Everything the site holds about `user`, as JSON-ready values."""
    data = {
        "generated_at": timezone.now().isoformat(),
        "profile": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "profile_url": user.get_absolute_url(),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }
    for label, fn in sorted(_exporters.items()):
        data[label] = fn(user)
    return data


def deletion_blocker(user: User) -> str | None:
    """Why `user` may not delete the account now, or None."""
    if rules.is_team(user):
        others = User.objects.team().filter(role=user.role).exclude(pk=user.pk)
        if not others.exists():
            role = user.get_role_display().lower()
            return f"You are the last {role}: give another person that role before you delete your account."
    for blocker in _blockers:
        if reason := blocker(user):
            return reason
    return None


def delete_account(user: User) -> None:
    """Delete `user`'s account. Precondition: `deletion_blocker(user)` is None (checked
    again here under the transaction). Erases votes, follows and the like through the
    registered erasers, removes the email addresses and sessions, and empties the account
    row: no row keeps the person's email or name; their public posts show "a former
    member"."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if reason := deletion_blocker(user):
            raise CannotDeleteError(reason)
        for erase in _erasers:
            erase(user)
        EmailAddress.objects.filter(user=user).delete()
        end_sessions(user.pk)
        user.email = f"former-member-{user.pk}@deleted.invalid"
        user.display_name = FORMER_MEMBER
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.role = User.Role.CUSTOMER
        user.last_login = None
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        for after in _after_delete:
            after(user.pk)
