"""Desk rules that depend on a row as well as on the role (the roles: accounts.rules)."""

from __future__ import annotations

from accounts import rules
from desk.models import SavedReply


def may_change_reply(user, reply: SavedReply) -> bool:
    """Edit or delete a saved reply: its owner; a shared one also whoever runs the team
    (rules.may_manage_team_replies). Nobody else sees a private one at all."""
    if not rules.may_work_desk(user):
        return False
    return reply.owner_id == user.pk or (reply.shared and rules.may_manage_team_replies(user))
