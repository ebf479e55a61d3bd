"""What the desk holds about a member of staff, for accounts.privacy (registered in
DeskConfig.ready): their claims, notes, teams and desk settings are exported; an account
with open claims cannot be deleted until they are released or handed over (issue 11);
deleting an account takes the person out of their teams and drops their desk settings."""

from __future__ import annotations

from accounts.privacy import rows
from desk.models import Claim, Note, StaffProfile, Team

EXPORTS = {
    "desk.Claim.holder": rows(Claim, "holder", "thread_id", "claimed_at"),
    "desk.Claim.handed_by": rows(Claim, "handed_by", "thread_id", "claimed_at"),
    "desk.Note.author": rows(Note, "author", "thread_id", "body_md", "created_at"),
    "desk.StaffProfile.user": rows(
        StaffProfile,
        "user",
        "on_duty",
        "notify_new_threads",
        "notify_reminders",
        "notify_replies",
        "updated_at",
    ),
    "desk.Team.members": rows(Team, "members", "name"),
}


def erase(user) -> None:
    """Out of every team (their claims stay the team's), and no desk settings left."""
    user.desk_teams.clear()
    StaffProfile.objects.filter(user=user).delete()


def open_claims_block_deletion(user) -> str | None:
    held = Claim.objects.filter(holder=user).count()
    if held:
        return (
            f"You hold {held} open claim{'s' if held != 1 else ''} on the desk: release them or hand "
            "them to a colleague before you delete your account."
        )
    return None
