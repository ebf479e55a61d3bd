"""Writes to accounts. Plain functions: no request, usable anywhere."""

from __future__ import annotations

from accounts.models import TEAM_ROLES, User


def set_display_name(user: User, display_name: str) -> None:
    user.display_name = display_name.strip()
    if user.pk:
        user.save(update_fields=["display_name"])


def set_role(user: User, role: str) -> None:
    """Change a person's role, and with it their admin access (`is_staff`): staff and
    moderators reach the admin, where their role brings its group's permissions
    (accounts.backends); a customer does not, unless a superuser. Who may call this is
    the caller's to check (rules.may_change_roles; the admin's action does).
    Precondition: role is one of User.Role."""
    if role not in User.Role.values:
        raise ValueError(f"unknown role {role!r}")
    user.role = role
    user.is_staff = role in TEAM_ROLES or user.is_superuser
    user.save(update_fields=["role", "is_staff"])
