"""Statuses that tell the truth (issue 12, item 3; docs/forum.md, "Statuses"): an official
answer asks the asker "Did this fix it?"; Yes accepts it (solved), No puts the question back
with staff at once; staff have their own audited "Mark solved"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from forum import actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import Thread


def fresh(thread: Thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


@pytest.fixture
def official(thread, bob):
    post = actions.add_answer(thread, bob, "Update to 4.2.1, then sign in again.")
    actions.mark_official(post, bob)
    return post


def test_an_official_answer_asks_the_asker_and_does_not_solve(thread, official):
    thread = fresh(thread)
    assert thread.status == Thread.Status.STAFF_ANSWERED
    assert thread.get_status_display() == "Answered by staff"
    assert thread.asks_did_it_fix and thread.accepted_post_id is None
    assert not Thread.objects.waiting().filter(pk=thread.pk).exists()


def test_the_asker_sees_the_question_with_yes_and_no_buttons(alice_client, client, thread, official):
    html = alice_client.get(thread.get_absolute_url()).content.decode()
    assert 'id="did-it-fix"' in html and "Did this fix it?" in html
    assert f'action="{reverse("forum:did_it_fix", args=[thread.pk])}"' in html
    assert 'name="fixed" value="yes"' in html and 'name="fixed" value="no"' in html
    assert "within 7 days" in html  # FORUM_AUTO_SOLVE_DAYS, said before it happens
    # Anyone else reads that the asker has not said yet, without the buttons.
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "has not said yet whether the" in html and 'name="fixed"' not in html


def test_yes_accepts_the_official_answer_and_solves(alice_client, thread, official):
    response = alice_client.post(reverse("forum:did_it_fix", args=[thread.pk]), {"fixed": "yes"})
    assert response.status_code == 302
    thread = fresh(thread)
    assert thread.status == Thread.Status.SOLVED and thread.accepted_post_id == official.pk
    assert not thread.asks_did_it_fix
    html = alice_client.get(thread.get_absolute_url()).content.decode()
    assert 'id="did-it-fix"' not in html and "✓ Accepted solution" in html


def test_no_puts_it_back_with_staff_at_once(alice_client, thread, official):
    response = alice_client.post(reverse("forum:did_it_fix", args=[thread.pk]), {"fixed": "no"})
    assert response.status_code == 302
    thread = fresh(thread)
    assert thread.status == Thread.Status.WAITING
    assert thread.waiting_since == thread.fix_declined_at  # the wait begins when she said so
    assert Thread.objects.waiting().filter(pk=thread.pk).exists()  # the desk's queue too
    html = alice_client.get(thread.get_absolute_url()).content.decode()
    assert "You said the official answer did not fix it" in html and 'name="fixed" value="yes"' not in html
    # Saying it twice changes nothing; a new official answer asks again.
    assert actions.answer_did_it_fix(thread.author, thread, fixed=False) is False


def test_a_new_official_answer_after_no_asks_again(alice, bob, thread, official):
    actions.answer_did_it_fix(alice, thread, fixed=False)
    better = actions.add_answer(thread, bob, "Sorry: reinstall the sync helper.")
    actions.mark_official(better, bob)
    thread = fresh(thread)
    assert thread.status == Thread.Status.STAFF_ANSWERED and thread.asks_did_it_fix
    assert actions.answer_did_it_fix(alice, thread, fixed=True) is True
    assert fresh(thread).accepted_post_id == better.pk  # the latest official answer


@pytest.mark.parametrize("who", ["dave", "bob", "carol"])
def test_only_the_asker_answers(request, thread, official, who):
    with pytest.raises(NotAllowed):
        actions.answer_did_it_fix(request.getfixturevalue(who), thread, fixed=True)
    assert fresh(thread).status == Thread.Status.STAFF_ANSWERED


def test_nothing_to_answer_without_an_official_answer(alice, thread, answer):
    with pytest.raises(InvalidAction):
        actions.answer_did_it_fix(alice, thread, fixed=True)


def test_the_askers_comment_after_the_official_answer_puts_it_back_in_the_queue(alice, thread, official):
    comment = actions.add_comment(thread, alice, "That did not help, sorry.")
    thread = fresh(thread)
    assert thread.status == Thread.Status.WAITING and thread.waiting_since == comment.created_at


def test_staff_mark_solved_is_its_own_audited_action(bob_client, bob, thread, official):
    html = bob_client.get(thread.get_absolute_url()).content.decode()
    assert 'data-testid="mark-solved"' in html
    response = bob_client.post(reverse("forum:mark_solved", args=[thread.pk]))
    assert response.status_code == 302
    thread = fresh(thread)
    assert thread.status == Thread.Status.SOLVED
    assert (thread.marked_solved, thread.marked_solved_by) == (Thread.MarkedSolved.STAFF, bob)
    assert thread.accepted_post_id is None  # nobody accepted anything
    entry = AuditEntry.objects.get(action="thread.solve")
    assert (entry.actor_id, entry.target_id) == (bob.pk, thread.pk)
    assert "Marked solved by our staff" in bob_client.get(thread.get_absolute_url()).content.decode()
    # Taken back: answered by staff again, also in the log.
    bob_client.post(reverse("forum:mark_solved", args=[thread.pk]), {"undo": "1"})
    assert fresh(thread).status == Thread.Status.STAFF_ANSWERED
    assert AuditEntry.objects.filter(action="thread.unsolve", actor_id=bob.pk).count() == 1


def test_staff_mark_solved_works_without_any_answer(bob, thread):
    assert fresh(thread).status == Thread.Status.WAITING
    assert actions.mark_solved(thread, bob) is True
    thread = fresh(thread)
    assert thread.status == Thread.Status.SOLVED and thread.waiting_since is None
    assert actions.mark_solved(thread, bob) is False  # already solved


@pytest.mark.parametrize("who", ["alice", "dave", "carol"])
def test_only_staff_mark_solved(request, thread, who):
    with pytest.raises(NotAllowed):
        actions.mark_solved(thread, request.getfixturevalue(who))
    assert fresh(thread).status == Thread.Status.WAITING


def test_the_official_email_asks_the_asker_and_only_the_asker(
    thread, official, alice, dave, mailoutbox, settings
):
    from forum.models import Post
    from forum.notifications import build_email

    actions.follow(dave, thread)
    official = Post.objects.select_related("thread", "author").get(pk=official.pk)  # as the job loads it
    to_alice = build_email("official", official, official.author, alice)
    to_dave = build_email("official", official, official.author, dave)
    link = f"{settings.SITE_URL}{thread.get_absolute_url()}#did-it-fix"
    assert "Did this fix it?" in to_alice.body and link in to_alice.body
    assert "Did this fix it?" in to_alice.alternatives[0][0]
    assert "Did this fix it?" not in to_dave.body
    # The status in the words of every page.
    assert (
        "Status now: Answered by staff" in to_alice.body and "Status now: Answered by staff" in to_dave.body
    )
