"""Solved through a linked question (issue 10, item 5; docs/forum.md): the forum's fact,
as its actions keep it — the status, the wait for staff, and the asker's answer. The
duplicates app decides *when* (tests/duplicates/test_linked_fix.py); these call the
forum's actions directly, as it does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import Thread
from search.models import SearchEntry

FIX = {"key": "fix:official:1", "url": "/questions/1/sync/#post-1", "title": "Sync stops after 4.2"}


def _mark(thread, **overrides):
    fix = {**FIX, "published_at": timezone.now(), **overrides}
    return actions.mark_solved_through_link([thread.pk], **fix)


def _fresh(thread) -> Thread:
    thread.refresh_from_db()
    return thread


def test_a_question_solved_through_a_linked_fix_is_solved_and_stops_waiting(thread):
    assert _mark(thread) == [thread.pk]
    thread = _fresh(thread)
    assert thread.status == Thread.Status.SOLVED
    assert thread.linked_fix == Thread.LinkedFix.PENDING
    assert (thread.linked_fix_key, thread.linked_fix_url, thread.linked_fix_title) == tuple(FIX.values())
    assert thread.waiting_since is None
    assert not Thread.objects.waiting().filter(pk=thread.pk).exists()
    assert SearchEntry.objects.get(kind="thread", object_id=thread.pk).solved


def test_solved_and_deleted_questions_are_not_marked(thread, alice, bob, carol, category):
    post = actions.add_answer(thread, bob, "Update to 4.3.")
    actions.mark_official(post, bob)
    actions.accept_solution(thread, post, alice)  # an official answer alone no longer solves it
    hidden = actions.create_thread(alice, "Another sync question here", "It stopped again.", category)
    actions.delete_thread(hidden, carol)
    assert actions.mark_solved_through_link([thread.pk, hidden.pk], **FIX, published_at=timezone.now()) == []
    assert _fresh(thread).linked_fix == _fresh(hidden).linked_fix == ""


def test_no_still_broken_puts_it_back_at_its_original_wait(thread, alice, dave):
    actions.add_answer(thread, dave, "Same here.")  # a customer's answer: still waiting since asked
    _mark(thread)
    assert actions.answer_linked_fix(alice, thread, fixed=False) is True
    thread = _fresh(thread)
    assert thread.linked_fix == Thread.LinkedFix.REJECTED
    assert thread.status == Thread.Status.WAITING
    assert thread.waiting_since == thread.created_at  # exactly the wait it had
    assert Thread.objects.waiting().filter(pk=thread.pk).exists()
    assert not SearchEntry.objects.get(kind="thread", object_id=thread.pk).solved


def test_no_still_broken_after_a_team_reply_starts_the_wait_then(thread, alice, bob):
    """The asker saying "still broken" is the asker writing after the team's last reply."""
    actions.add_answer(thread, bob, "Which version are you on?")
    assert _fresh(thread).waiting_since is None
    _mark(thread)
    actions.answer_linked_fix(alice, thread, fixed=False)
    thread = _fresh(thread)
    assert thread.waiting_since == thread.linked_fix_at
    actions.add_answer(thread, bob, "Thanks, we are looking into it.")
    assert _fresh(thread).waiting_since is None  # the team replied after it


def test_a_wait_the_rows_already_had_goes_on_from_where_it_began(thread, alice, bob):
    actions.add_answer(thread, bob, "Which version are you on?")
    reply = actions.add_answer(thread, alice, "4.2.1 on Windows.")
    _mark(thread)
    actions.answer_linked_fix(alice, thread, fixed=False)
    assert _fresh(thread).waiting_since == reply.created_at


def test_yes_confirms_and_it_stays_solved(thread, alice):
    _mark(thread)
    assert actions.answer_linked_fix(alice, thread, fixed=True) is True
    thread = _fresh(thread)
    assert (thread.linked_fix, thread.status, thread.waiting_since) == (
        Thread.LinkedFix.CONFIRMED,
        Thread.Status.SOLVED,
        None,
    )


def test_answering_twice_is_harmless_and_the_asker_may_change_their_mind(thread, alice):
    _mark(thread)
    actions.answer_linked_fix(alice, thread, fixed=True)
    at = _fresh(thread).linked_fix_at
    assert actions.answer_linked_fix(alice, thread, fixed=True) is False
    assert _fresh(thread).linked_fix_at == at
    assert actions.answer_linked_fix(alice, thread, fixed=False) is True
    assert _fresh(thread).status == Thread.Status.WAITING


@pytest.mark.parametrize("who", ["dave", "bob", "carol"])
def test_only_the_asker_answers(request, thread, who):
    _mark(thread)
    before = Thread.objects.filter(pk=thread.pk).values().get()
    with pytest.raises(NotAllowed, match="Only the person who asked"):
        actions.answer_linked_fix(request.getfixturevalue(who), thread, fixed=False)
    assert Thread.objects.filter(pk=thread.pk).values().get() == before


def test_a_suspended_asker_is_told_why_and_nothing_changes(thread, alice, carol):
    _mark(thread)
    alice.suspended_until = timezone.now() + timedelta(days=1)
    alice.save(update_fields=["suspended_until"])
    with pytest.raises(NotAllowed, match="Your account is suspended"):
        actions.answer_linked_fix(alice, thread, fixed=False)
    assert _fresh(thread).linked_fix == Thread.LinkedFix.PENDING


def test_a_question_not_solved_through_a_link_has_nothing_to_answer(thread, alice):
    with pytest.raises(InvalidAction):
        actions.answer_linked_fix(alice, thread, fixed=False)


def test_the_same_fix_never_marks_a_question_its_asker_said_is_still_broken(thread, alice):
    published = timezone.now() - timedelta(minutes=5)
    _mark(thread, published_at=published)
    actions.answer_linked_fix(alice, thread, fixed=False)
    assert _mark(thread, published_at=published) == []  # the same fix, announced again
    assert _mark(thread, key="fix:article:9", published_at=published) == []  # one they saw already
    assert _fresh(thread).linked_fix == Thread.LinkedFix.REJECTED
    # a fix published after they said so is news: it marks the question again
    assert _mark(thread, key="fix:official:2", published_at=timezone.now()) == [thread.pk]
    thread = _fresh(thread)
    assert (thread.linked_fix, thread.linked_fix_key, thread.status) == (
        Thread.LinkedFix.PENDING,
        "fix:official:2",
        Thread.Status.SOLVED,
    )


def test_withdrawing_takes_back_a_pending_mark_but_not_a_confirmed_one(thread, alice, category):
    other = actions.create_thread(alice, "Another sync question here", "It stopped again.", category)
    _mark(thread)
    actions.mark_solved_through_link([other.pk], **FIX, published_at=timezone.now())
    actions.answer_linked_fix(alice, other, fixed=True)
    assert actions.withdraw_solved_through_link([thread.pk, other.pk]) == [thread.pk]
    thread = _fresh(thread)
    assert (thread.linked_fix, thread.status, thread.waiting_since) == (
        "",
        Thread.Status.WAITING,
        thread.created_at,
    )
    assert _fresh(other).status == Thread.Status.SOLVED


def test_its_own_fix_taken_back_leaves_it_solved_through_the_link(thread, bob):
    _mark(thread)
    post = actions.add_answer(thread, bob, "Update to 4.3.")
    actions.mark_official(post, bob)
    actions.unmark_official(post, bob)
    assert _fresh(thread).status == Thread.Status.SOLVED
