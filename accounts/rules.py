"""What each role may do: written once, here; every app asks these functions.

Each takes any user — a signed-in `User`, an inactive one, `AnonymousUser` or None —
and answers False unless it is an active account that holds the role. A deactivated
staff member therefore loses every power at once, in every app.

The roles (User.Role):
- customer: asks, answers, votes, follows, accepts the answer to their own question;
- staff: everything a customer does, and speaks for the company: marks answers
  official, accepts any solution, writes the knowledge base (and sees its drafts);
- moderator: keeps the place clean: deletes and restores, edits anyone's text (and
  personal data out of its history), works the report queue, suspends and bans;
- the team (staff and moderators): sees deleted rows and non-public search results,
  edits anything, locks threads, decides duplicate links, merges, sees the figures
  and reads the audit log.

A suspended person (User.suspended_until in the future) keeps reading but may not
post, vote, follow or report until the date; a banned one is deactivated.

The User model's `is_team`, `is_support_staff` and `is_moderator` say which role a
row holds (for badges); these functions say what the person looking may do, and are
the ones to ask.

Rules that depend on a row's state as well (may this person edit *this* answer?)
live in the app that owns the row (forum/permissions.py), built on these.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone


def is_signed_in(user) -> bool:
    """An active account (never the anonymous visitor, never a deactivated one)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_team(user) -> bool:
    """Staff or moderator: the people who speak for the company."""
    return is_signed_in(user) and user.is_team


def is_staff_member(user) -> bool:
    """The staff role (not Django's `is_staff` flag, which only opens the admin)."""
    return is_signed_in(user) and user.is_support_staff


def is_moderator(user) -> bool:
    return is_signed_in(user) and user.is_moderator


def is_suspended(user) -> bool:
    """Suspended by a moderator, and the suspension has not ended yet."""
    return is_signed_in(user) and user.is_suspended


def may_post(user) -> bool:
    """Ask, answer, vote, follow and report: an active account that is not suspended,
    with a verified email when the site requires one. Remembered on the user object for
    the rest of the request, so a page that asks once per answer makes one query, not N."""
    if not is_signed_in(user) or user.is_suspended:
        return False
    if not settings.ONEFIX_REQUIRE_VERIFIED_EMAIL:
        return True
    cached = getattr(user, "_may_post", None)
    if cached is None:
        cached = user._may_post = user.has_verified_email()
    return cached


def posting_refusal(user, doing: str = "post") -> str:
    """Why `user` may not post (ask, answer, vote …), in words for them; "" if they may.
    `doing` completes "… before you <doing>" / "… cannot <doing> until …"."""
    if may_post(user):
        return ""
    if is_suspended(user):
        until = user.suspended_until.strftime("%-d %b %Y, %H:%M UTC")
        why = f" Reason: {user.suspension_reason}" if user.suspension_reason else ""
        return f"Your account is suspended until {until}: you can read, but not {doing}.{why}"
    if not is_signed_in(user):
        return f"Please sign in to {doing}."
    return f"Please verify your email address before you {doing}."


def is_trusted(user) -> bool:
    """A reporter whose reports hide a post automatically once enough of them agree
    (MODERATION_AUTO_HIDE_REPORTS): verified, not suspended, and with an account older
    than MODERATION_TRUSTED_ACCOUNT_DAYS. One query (the verified address)."""
    if not is_signed_in(user) or user.is_suspended:
        return False
    age = timezone.now() - user.date_joined
    if age < timedelta(days=settings.MODERATION_TRUSTED_ACCOUNT_DAYS):
        return False
    return user.has_verified_email()


# --- what the roles may do --------------------------------------------------------


def may_see_hidden(user) -> bool:
    """Deleted threads and answers (shown with a marker) and non-public search results."""
    return is_team(user)


def may_edit_any_text(user) -> bool:
    """Edit any question or answer, at any time (e.g. to take personal data out)."""
    return is_team(user)


def may_lock(user) -> bool:
    return is_team(user)


def may_delete(user) -> bool:
    """Delete and restore questions and answers (soft: the team still sees them)."""
    return is_moderator(user)


def may_mark_official(user) -> bool:
    return is_staff_member(user)


def may_mark_solved(user) -> bool:
    """Mark a question solved without an accepted answer, or take that mark back."""
    return is_staff_member(user)


def may_accept_any(user) -> bool:
    """Accept a solution on anyone's question (askers accept on their own)."""
    return is_staff_member(user)


def may_write_articles(user) -> bool:
    """Create, edit, publish, archive, restore and promote knowledge-base articles,
    and see the drafts and archived ones."""
    return is_staff_member(user)


def may_decide_any_link(user) -> bool:
    """Confirm, reject or undo any duplicate link, and link questions by hand (askers
    decide the suggestions on their own question)."""
    return is_team(user)


def may_merge(user) -> bool:
    """Merge a question into another: its answers and people move."""
    return is_team(user)


def may_see_figures(user) -> bool:
    """Staff-side reports, e.g. how many questions the knowledge base prevented."""
    return is_team(user)


def may_report(user) -> bool:
    """Report a question or answer to the moderators: anyone who may post."""
    return may_post(user)


def may_moderate(user) -> bool:
    """Work the report queue: hide and restore, edit personal data out of a post and its
    history, dismiss reports, suspend and ban people."""
    return is_moderator(user)


def may_read_audit(user) -> bool:
    """Read the audit log of what the team did."""
    return is_team(user)


def may_change_roles(user) -> bool:
    """Make someone staff or moderator (or a customer again): superusers only."""
    return is_signed_in(user) and user.is_superuser


def may_work_desk(user) -> bool:
    """The staff desk (/desk/): the queue, claims, workload, staff-only notes."""
    return is_staff_member(user)


def may_manage_claims(user) -> bool:
    """Release or hand over a claim someone else holds (its holder may always): a
    superuser on the staff, i.e. whoever runs the support team."""
    return is_staff_member(user) and user.is_superuser


def may_manage_team_replies(user) -> bool:
    """Edit or delete a saved reply that another member of staff shared with the team (its
    owner always may; a private one stays its owner's alone): whoever runs the support
    team, as for claims."""
    return may_manage_claims(user)
