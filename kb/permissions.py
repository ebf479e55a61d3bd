"""Who may do what in the knowledge base. Writing articles is for staff (the role,
not Django's admin flag); reading published articles is for everyone."""

from __future__ import annotations


def is_kb_staff(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "is_support_staff", False)
    )


def can_edit(user) -> bool:
    """Create, edit, publish, archive, restore and promote."""
    return is_kb_staff(user)


def can_see_unpublished(user) -> bool:
    return is_kb_staff(user)
