"""Who may open which moderation page, in one place.

- The queue, a post's moderation page and the people pages: moderators
  (accounts.rules.may_moderate); anyone else, visitors included, gets 403.
- The audit log: the team (rules.may_read_audit); anyone else 403.
- A report form: any signed-in person, for a post they can see (the forum's access
  helpers: 404 for hidden rows); the action then refuses people who may not report.
An unknown kind of post, or a missing row, is 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts import rules
from accounts.models import User
from moderation.targets import Target, kind_of


def require_moderator(user) -> None:
    if not rules.may_moderate(user):
        raise PermissionDenied("Only moderators can open this page.")


def require_audit_reader(user) -> None:
    if not rules.may_read_audit(user):
        raise PermissionDenied("Only staff and moderators can read the audit log.")


def access_target(user, kind: str, object_id: int) -> Target:
    """A post the user may see (for reporting it)."""
    found = kind_of(kind)
    if found is None:
        raise Http404("Nothing of that kind can be reported")
    return found.visible(user, object_id)


def access_target_to_moderate(user, kind: str, object_id: int) -> Target:
    require_moderator(user)
    return access_target(user, kind, object_id)


def access_person_to_moderate(user, person_id: int) -> User:
    require_moderator(user)
    return get_object_or_404(User, pk=person_id)
