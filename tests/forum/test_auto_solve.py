"""The auto-solve job (issue 12, item 3; docs/forum.md, "Statuses"): a question whose asker
did not answer "Did this fix it?" within FORUM_AUTO_SOLVE_DAYS of an official answer is
marked solved, by the Celery beat job, idempotently, each one in the audit log.

Hand-made data with times on both sides of the cut: official answers marked 8 days and
6 days ago (with the default 7 days), a 7-day-old one whose asker said "No", one whose
asker wrote after it (waiting for staff), one deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from config.celery import app as celery_app
from forum import actions
from forum.actions.solving import auto_solve_due
from forum.models import Post, Thread


def _answered_officially(author, bob, category, title: str, days_ago: float) -> Thread:
    """A question with bob's official answer marked `days_ago` (the asker asked then)."""
    thread = actions.create_thread(author, title, f"It stopped working after the update ({title}).", category)
    post = actions.add_answer(thread, bob, f"Update to 4.2.1, then sign in again ({title}).")
    actions.mark_official(post, bob)
    at = timezone.now() - timedelta(days=days_ago)
    Post.objects.filter(pk=post.pk).update(official_at=at, created_at=at)
    Thread.objects.filter(pk=thread.pk).update(fix_asked_at=at)
    return Thread.objects.get(pk=thread.pk)


@pytest.fixture
def cases(alice, dave, bob, carol, category):
    old = _answered_officially(alice, bob, category, "Old official answer, no reply", 8)
    just_past = _answered_officially(dave, bob, category, "Just past the cut, no reply", 7.01)
    recent = _answered_officially(alice, bob, category, "Recent official answer, no reply", 6)
    said_no = _answered_officially(dave, bob, category, "Official answer the asker rejected", 9)
    Thread.objects.filter(pk=said_no.pk).update(fix_declined_at=timezone.now() - timedelta(days=8))
    actions.refresh_status(said_no.pk)
    wrote_back = _answered_officially(alice, bob, category, "Asker wrote back after the answer", 10)
    actions.add_comment(wrote_back, alice, "I tried it, still the same error.")
    deleted = _answered_officially(dave, bob, category, "Deleted question, official answer", 10)
    actions.delete_thread(deleted, carol)
    return {
        "old": old, "just_past": just_past, "recent": recent,
        "said_no": said_no, "wrote_back": wrote_back, "deleted": deleted,
    }  # fmt: skip


def statuses(cases) -> dict[str, str]:
    return {name: Thread.objects.get(pk=t.pk).status for name, t in cases.items()}


def test_the_job_solves_only_those_past_the_cut_that_nobody_answered(cases):
    assert set(auto_solve_due().values_list("pk", flat=True)) == {cases["old"].pk, cases["just_past"].pk}
    solved = actions.auto_solve()
    assert sorted(solved) == sorted([cases["old"].pk, cases["just_past"].pk])
    assert statuses(cases) == {
        "old": "solved",
        "just_past": "solved",
        "recent": "staff_answered",  # 6 days: the asker still has a day
        "said_no": "waiting",  # the asker said "No": back with staff, never auto-solved
        "wrote_back": "waiting",  # the asker's comment after the answer: waiting for staff
        "deleted": "staff_answered",  # deleted: left alone
    }
    old = Thread.objects.get(pk=cases["old"].pk)
    assert old.marked_solved == Thread.MarkedSolved.AUTO and old.marked_solved_by is None
    assert old.accepted_post_id is None  # nobody accepted: the banner says how it got solved


def test_the_job_is_audited_and_idempotent(cases):
    actions.auto_solve()
    entries = AuditEntry.objects.filter(action="thread.auto_solve")
    assert sorted(entries.values_list("target_id", flat=True)) == sorted(
        [cases["old"].pk, cases["just_past"].pk]
    )
    assert all(e.actor_id is None and e.details == {"days": 7} for e in entries)
    assert actions.auto_solve() == []  # a second run finds nothing
    assert entries.count() == 2


def test_the_cut_follows_the_setting(cases, settings):
    settings.FORUM_AUTO_SOLVE_DAYS = 5
    assert cases["recent"].pk in actions.auto_solve()
    settings.FORUM_AUTO_SOLVE_DAYS = 30
    assert actions.auto_solve() == []


def test_a_run_at_a_later_moment_solves_the_recent_one_then(cases):
    later = timezone.now() + timedelta(days=1, minutes=1)
    assert cases["recent"].pk in actions.auto_solve(later)


def test_the_asker_can_still_say_no_after_an_auto_solve(cases, alice_client):
    actions.auto_solve()
    thread = Thread.objects.get(pk=cases["old"].pk)
    html = alice_client.get(thread.get_absolute_url()).content.decode()
    assert "Marked solved</strong> because nobody said otherwise within 7 days" in html
    alice_client.post(f"/questions/{thread.pk}/did-it-fix/", {"fixed": "no"})
    thread = Thread.objects.get(pk=thread.pk)
    assert (thread.status, thread.marked_solved) == (Thread.Status.WAITING, "")
    assert actions.auto_solve() == []  # her "No" is not overruled by the job


def test_the_beat_schedule_runs_the_job_through_celery(cases):
    entry = celery_app.conf.beat_schedule["forum-auto-solve"]
    assert entry["task"] == "forum.tasks.auto_solve"
    celery_app.conf.task_always_eager = True
    try:
        from forum.tasks import auto_solve

        assert auto_solve.delay().get() == 2
    finally:
        celery_app.conf.task_always_eager = False
    assert Thread.objects.get(pk=cases["old"].pk).status == Thread.Status.SOLVED
