"""What the desk holds about a member of staff, for accounts.privacy (registered in
DeskConfig.ready): their claims, notes, teams, desk settings and saved replies are
exported; an account with open claims cannot be deleted until they are released or
handed over (issue 11); deleting an account takes the person out of their teams, drops
their desk settings and deletes their private saved replies (the ones shared with the
team stay the team's, like public posts, under "a former member")."""

from __future__ import annotations

from accounts.privacy import rows
from desk.models import Claim, Note, RepeatGroup, RepeatReply, SavedReply, StaffProfile, Team

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
        "notify_spikes",
        "updated_at",
    ),
    "desk.Team.members": rows(Team, "members", "name"),
    "desk.SavedReply.owner": rows(
        SavedReply, "owner", "title", "body_md", "shared", "created_at", "updated_at"
    ),
    # Repeated firefighting (desk/firefight.py): the replies of theirs the job grouped, and
    # the groups they marked "not a repeat". Deleting the account deletes the first rows
    # (CASCADE; the job regroups from the replies) and keeps the second without the name.
    "desk.RepeatReply.author": rows(RepeatReply, "author", "post_id", "thread_id", "group_id", "created_at"),
    "desk.RepeatGroup.dismissed_by": rows(RepeatGroup, "dismissed_by", "title", "dismissed_at"),
}


def erase(user) -> None:
    """Out of every team (their claims stay the team's), no desk settings left, and their
    private saved replies gone (shared ones stay the team's)."""
    user.desk_teams.clear()
    StaffProfile.objects.filter(user=user).delete()
    SavedReply.objects.filter(owner=user, shared=False).delete()


def open_claims_block_deletion(user) -> str | None:
    held = Claim.objects.filter(holder=user).count()
    if held:
        return (
            f"You hold {held} open claim{'s' if held != 1 else ''} on the desk: release them or hand "
            "them to a colleague before you delete your account."
        )
    return None
