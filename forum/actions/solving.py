"""Solving a question without its asker accepting an answer, and the asker's answer to
"Did this fix it?" (docs/forum.md, "Statuses"; issue 12, item 3).

Marking an answer official does not solve a question: it asks the asker "Did this fix
it?" (forum.actions.posts.mark_official sets `fix_asked_at`). Then:

- Yes: the asker accepts that official answer (accept_solution): solved.
- No: back to waiting for staff at once (`fix_declined_at`, read by
  waiting_since_from_rows as the asker writing).
- No answer within FORUM_AUTO_SOLVE_DAYS: the auto-solve job (auto_solve, on the beat
  schedule) marks it solved, in the audit log.

Staff can also mark a question solved themselves (mark_solved, its own audited action
and button), and take either mark back (unmark_solved).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts import rules
from forum import indexing, permissions
from forum.actions import auditing
from forum.actions.posts import accept_solution
from forum.actions.threads import refresh_status
from forum.errors import InvalidAction, NotAllowed
from forum.models import Post, Thread


def mark_solved(thread: Thread, by, *, reason: str = "") -> bool:
    """Staff say the question is solved (e.g. the asker confirmed it in a comment, or by
    email). Refuses a deleted question. Returns False if it already was solved."""
    if not rules.may_mark_solved(by):
        raise NotAllowed("Only staff can mark a question solved.")
    with transaction.atomic():
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        if current.is_deleted:
            raise InvalidAction("This question was deleted.")
        if current.is_solved:
            return False
        Thread.objects.filter(pk=current.pk).update(
            marked_solved=Thread.MarkedSolved.STAFF, marked_solved_at=timezone.now(), marked_solved_by=by
        )
        refresh_status(current.pk)
        auditing.thread_entry(by, auditing.THREAD_SOLVE, current, reason)
    return True


def unmark_solved(thread: Thread, by, *, reason: str = "") -> bool:
    """Staff take back a "solved" mark that staff or the auto-solve job set (an accepted
    answer is un-accepted instead; a linked fix is the asker's to answer). Returns False
    if there was no such mark."""
    if not rules.may_mark_solved(by):
        raise NotAllowed("Only staff can change a question's solved mark.")
    with transaction.atomic():
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        done = (
            Thread.objects.filter(pk=current.pk)
            .exclude(marked_solved=Thread.MarkedSolved.NONE)
            .update(marked_solved=Thread.MarkedSolved.NONE, marked_solved_at=None, marked_solved_by=None)
        )
        if done:
            refresh_status(current.pk)
            auditing.thread_entry(by, auditing.THREAD_UNSOLVE, current, reason, was=current.marked_solved)
    return bool(done)


def latest_official(thread: Thread) -> Post | None:
    """The answer "Did this fix it?" is about: the latest visible official answer."""
    return (
        Post.objects.visible().official().filter(thread_id=thread.pk).order_by("-official_at", "-id").first()
    )


def answer_did_it_fix(user, thread: Thread, *, fixed: bool) -> bool:
    """The asker's answer to "Did this fix it?" after an official answer.

    Yes: they accept the latest visible official answer (accept_solution): solved.
    No: not solved, and waiting for staff again from now (or from the wait the rows
    already had). On a question the auto-solve job solved, "No" also takes that mark
    back: nobody had said it was fixed. Only the asker answers (as for a fix on a linked
    question). Returns False when nothing changed.
    """
    if not permissions.can_answer_linked_fix(user, thread):
        if getattr(user, "pk", None) == thread.author_id:  # the asker, suspended or unverified
            raise NotAllowed(rules.posting_refusal(user, "say whether the answer fixed it"))
        raise NotAllowed("Only the person who asked this question can say whether the answer fixed it.")
    if thread.is_deleted:
        raise InvalidAction("This question was deleted.")
    post = latest_official(thread)
    if post is None:
        raise InvalidAction("This question has no official answer to say yes or no to.")
    if fixed:
        return accept_solution(thread, post, user)
    with transaction.atomic():
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        if current.accepted_post_id or current.marked_solved == Thread.MarkedSolved.STAFF:
            raise InvalidAction(
                "This question is marked solved. If it is still broken, add a comment: the team will see it."
            )
        if not current.asks_did_it_fix and current.marked_solved != Thread.MarkedSolved.AUTO:
            return False  # already said "No" to this official answer
        Thread.objects.filter(pk=current.pk).update(
            fix_declined_at=timezone.now(),
            marked_solved=Thread.MarkedSolved.NONE,
            marked_solved_at=None,
            marked_solved_by=None,
        )
        refresh_status(current.pk)
        indexing.index_thread(current.pk)
    return True


def auto_solve_due(now: datetime | None = None):
    """The questions the auto-solve job solves at `now`: answered by staff (not waiting
    for staff, not solved, visible), with a visible official answer, whose asker was asked
    "Did this fix it?" at least FORUM_AUTO_SOLVE_DAYS ago and has not said "No" since."""
    now = now or timezone.now()
    cut = now - timedelta(days=settings.FORUM_AUTO_SOLVE_DAYS)
    official = Post.objects.visible().official().filter(thread_id=OuterRef("pk"))
    return (
        Thread.objects.filter(
            status=Thread.Status.STAFF_ANSWERED,
            is_deleted=False,
            marked_solved=Thread.MarkedSolved.NONE,
            fix_asked_at__lte=cut,
        )
        .filter(Q(fix_declined_at__isnull=True) | Q(fix_declined_at__lt=F("fix_asked_at")))
        .filter(Exists(official))
    )


def auto_solve(now: datetime | None = None) -> list[int]:
    """The auto-solve job (forum.tasks.auto_solve, on the beat schedule): mark solved the
    questions auto_solve_due finds, one audit entry each (no actor: the site did it).
    Idempotent: each is re-checked on its locked row, and a second run finds nothing.
    Returns the ids it solved."""
    now = now or timezone.now()
    solved = []
    for pk in auto_solve_due(now).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            Thread.objects.select_for_update().filter(pk=pk).first()  # lock, then re-check
            if not auto_solve_due(now).filter(pk=pk).exists():
                continue  # the asker answered, or someone else solved it, meanwhile
            Thread.objects.filter(pk=pk).update(
                marked_solved=Thread.MarkedSolved.AUTO, marked_solved_at=now, marked_solved_by=None
            )
            refresh_status(pk)
            thread = Thread.objects.get(pk=pk)
            auditing.thread_entry(
                None, auditing.THREAD_AUTO_SOLVE, thread, days=settings.FORUM_AUTO_SOLVE_DAYS
            )
            solved.append(pk)
    return solved
