"""What each role may do: written once, here; every app asks these functions.

Each takes any user — a signed-in `User`, an inactive one, `AnonymousUser` or None —
and answers False unless it is an active account that holds the role. A deactivated
staff member therefore loses every power at once, in every app.

The roles (User.Role):
- customer: asks, answers, votes, follows, accepts the answer to their own question;
- staff: everything a customer does, and speaks for the company: marks answers
  official, accepts any solution, writes the knowledge base (and sees its drafts);
- moderator: keeps the place clean: deletes and restores, and edits anyone's text;
- the team (staff and moderators): sees deleted rows and non-public search results,
  edits anything, locks threads, decides duplicate links, merges, sees the figures.

The User model's `is_team`, `is_support_staff` and `is_moderator` say which role a
row holds (for badges); these functions say what the person looking may do, and are
the ones to ask.

Rules that depend on a row's state as well (may this person edit *this* answer?)
live in the app that owns the row (forum/permissions.py), built on these.
"""

from __future__ import annotations

from django.conf import settings


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


def may_post(user) -> bool:
    """Ask, answer, vote and follow: an active account, with a verified email when the
    site requires one. Remembered on the user object for the rest of the request, so a
    page that asks once per answer makes one query, not N."""
    if not is_signed_in(user):
        return False
    if not settings.ONEFIX_REQUIRE_VERIFIED_EMAIL:
        return True
    cached = getattr(user, "_may_post", None)
    if cached is None:
        cached = user._may_post = user.has_verified_email()
    return cached


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
