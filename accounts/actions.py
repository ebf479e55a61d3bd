"""Writes to accounts. Plain functions: no request, usable anywhere."""

from __future__ import annotations

from accounts.models import User


def set_display_name(user: User, display_name: str) -> None:
    user.display_name = display_name.strip()
    if user.pk:
        user.save(update_fields=["display_name"])


def set_role(user: User, role: str) -> None:
    """Change a person's role. Precondition: role is one of User.Role."""
    if role not in User.Role.values:
        raise ValueError(f"unknown role {role!r}")
    user.role = role
    user.save(update_fields=["role"])
