"""Claims: take (a thread or a cluster), the cap, release, hand over, "Next", the
auto-release sweep, the public "a staff member is looking into it", and the race."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from config.celery import app as celery_app
from desk import actions
from desk.models import Claim
from forum import actions as forum_actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import Thread
from tests.conftest import make_user
from tests.desk.conftest import ask, link


def test_staff_take_a_thread_from_the_queue(bob_client, bob, thread):
    response = bob_client.post(f"/desk/threads/{thread.pk}/take/")
    assert response.status_code == 302
    claim = Claim.objects.get(thread=thread)
    assert claim.holder == bob
    assert AuditEntry.objects.filter(action="desk.take", target_id=thread.pk).exists()


def test_taking_a_cluster_claims_its_waiting_threads_as_one(bob, category):
    a, b = ask(category, "Export fails with an error", 5), ask(category, "Cannot export my notes", 3)
    link(a, b, bob)
    assert sorted(actions.take(bob, b)) == sorted([a.pk, b.pk])
    assert set(Claim.objects.values_list("item", flat=True)) == {b.pk}


def test_taking_what_someone_else_holds_says_who_and_changes_nothing(bob_client, bob, erin, thread):
    actions.take(erin, thread)
    response = bob_client.post(f"/desk/threads/{thread.pk}/take/", follow=True)
    assert "Erin has already taken this." in response.content.decode()
    assert Claim.objects.get(thread=thread).holder == erin


def test_the_cap_refuses_one_more_with_a_clear_message(bob_client, bob, category, settings):
    settings.DESK_CLAIM_CAP = 2
    one, two, three = (ask(category, f"Capped question number {i}", i + 1) for i in range(3))
    actions.take(bob, one)
    actions.take(bob, two)
    response = bob_client.post(f"/desk/threads/{three.pk}/take/", follow=True)
    assert "You hold 2 open claims, your cap." in response.content.decode()
    assert not Claim.objects.filter(thread=three).exists()


def test_holder_releases_and_the_thread_is_back_in_the_queue(bob_client, bob, thread):
    actions.take(bob, thread)
    bob_client.post(f"/desk/threads/{thread.pk}/release/")
    assert not Claim.objects.exists()


def test_releasing_someone_elses_claim_is_refused_unless_allowed(bob_client, bob, erin, thread):
    actions.take(erin, thread)
    response = bob_client.post(f"/desk/threads/{thread.pk}/release/", follow=True)
    assert "Only the person who took this (or a team lead) can release it." in response.content.decode()
    assert Claim.objects.get(thread=thread).holder == erin
    bob.is_superuser = True  # a team lead
    bob.save(update_fields=["is_superuser"])
    assert actions.release(bob, thread) == 1


def test_hand_over_to_a_colleague(bob_client, bob, erin, thread):
    actions.take(bob, thread)
    bob_client.post(f"/desk/threads/{thread.pk}/hand/", {"to": erin.pk})
    claim = Claim.objects.get(thread=thread)
    assert claim.holder == erin and claim.handed_by == bob


def test_hand_over_is_refused_to_off_duty_staff_to_customers_and_by_others(bob, erin, dave, thread):
    actions.take(bob, thread)
    actions.set_on_duty(erin, False)
    with pytest.raises(InvalidAction, match="Erin is off duty"):
        actions.hand_over(bob, thread, erin)
    with pytest.raises(InvalidAction, match="member of staff"):
        actions.hand_over(bob, thread, dave)
    actions.set_on_duty(erin, True)
    with pytest.raises(NotAllowed):
        actions.hand_over(erin, thread, erin)
    assert Claim.objects.get(thread=thread).holder == bob


def test_next_takes_the_top_unclaimed_row_in_my_areas(bob_client, bob, erin, category, other_category):
    top = ask(category, "Top of the sync area queue", 30, people=3)
    billing = ask(other_category, "Top of everything, in billing", 80, people=9)
    actions.set_areas(bob, [category.pk])
    response = bob_client.post("/desk/next/")
    assert response.status_code == 302 and response.url == top.get_absolute_url()
    assert Claim.objects.get(thread=top).holder == bob
    assert actions.take_next(erin) == billing  # no areas: all areas
    assert actions.take_next(erin) is None  # nothing unclaimed left


def test_taking_a_thread_is_a_fixed_number_of_statements(bob, category, django_assert_num_queries):
    """The take itself is five statements (lock the profile, read the item's threads with
    their claims, count open claims, insert, audit); the rest is the forum's follow."""
    actions.take(bob, ask(category, "Taken first, so the profile exists", 1))
    thread = ask(category, "Taken with a counted number of statements", 2)
    # savepoint, the five, then the team follow: insert, follower count (the team is
    # not among the people affected, so nothing else moves)
    with django_assert_num_queries(9):
        actions.take(bob, thread)


def test_next_reads_only_the_top_of_the_queue(bob, category, django_assert_num_queries):
    """ "Next" reads the clustered and claimed rows and the top unclaimed thread of each
    tier (no count), then takes it: the same statements however long the queue is."""
    for i in range(12):
        ask(category, f"One of many waiting questions {i}", 1 + 9 * i, people=1 + i % 3)
    actions.take(bob, ask(category, "Taken first, so the profile exists", 1))
    # the person's areas, the two reads of the queue, then the take (9, as above)
    with django_assert_num_queries(12):
        taken = actions.take_next(bob)
    assert taken.title == "One of many waiting questions 11"  # 3 people, overdue at 100 h


def test_stale_claims_are_released_by_the_sweep_and_replied_ones_kept(bob, erin, category, settings):
    long_ago = timezone.now() - timedelta(hours=30)
    stale = ask(category, "Taken yesterday and never answered", 40)
    replied = ask(category, "Taken yesterday and answered", 40)
    fresh = ask(category, "Taken a minute ago, waiting long", 40)
    actions.take(bob, stale, now=long_ago)
    actions.take(bob, replied, now=long_ago)
    actions.take(erin, fresh)
    forum_actions.add_answer(replied, bob, "Here is the fix for you.")
    celery_app.conf.task_always_eager = True
    try:
        from desk.tasks import release_stale_claims

        assert release_stale_claims.delay().get() == 1
    finally:
        celery_app.conf.task_always_eager = False
    assert set(Claim.objects.values_list("thread_id", flat=True)) == {replied.pk, fresh.pk}
    assert actions.release_stale() == 0  # idempotent


def test_the_beat_schedule_runs_the_sweep():
    entry = celery_app.conf.beat_schedule["desk-release-stale-claims"]
    assert entry["task"] == "desk.tasks.release_stale_claims"


def test_claims_on_solved_threads_end_at_once_and_on_deleted_ones_with_the_sweep(
    bob, carol, thread, category
):
    actions.take(bob, thread)
    post = forum_actions.add_answer(thread, bob, "Update to 4.3.")
    forum_actions.mark_official(post, bob)
    # An official answer alone is "answered by staff" (issue 12, item 3): the claim stays
    # until the asker says it fixed it (or staff mark it solved, or the auto-solve job).
    assert Claim.objects.filter(thread=thread).exists()
    forum_actions.answer_did_it_fix(thread.author, thread, fixed=True)
    assert not Claim.objects.filter(thread=thread).exists()  # the "thread solved" hook
    other = ask(category, "Sync stops on Android", 3)
    actions.take(bob, other)
    forum_actions.delete_thread(other, carol, reason="Spam")
    assert actions.release_stale() == 1


def test_the_public_thread_page_says_a_staff_member_is_looking_into_it(client, alice_client, bob, thread):
    assert "A staff member is looking into it" not in client.get(thread.get_absolute_url()).content.decode()
    actions.take(bob, thread)
    for viewer in (client, alice_client):
        html = viewer.get(thread.get_absolute_url()).content.decode()
        assert "A staff member is looking into it" in html
        assert "Bob" not in html.split('id="staff-looking"')[1][:200]  # not who


def test_staff_see_who_holds_it_and_the_reach_of_a_cluster(bob_client, bob, erin, category):
    a, b = (
        ask(category, "Login loops back to the start", 5, people=3),
        ask(category, "Login keeps looping", 3),
    )
    link(a, b, bob)
    actions.take(erin, a)
    html = bob_client.get(a.get_absolute_url()).content.decode()
    assert "Taken by <strong>Erin</strong>" in html
    assert "Your answer will reach <strong>4</strong> people in <strong>2</strong> threads" in html


@pytest.mark.postgresql
def test_two_staff_taking_the_same_thread_at_once_exactly_one_wins(bob, erin, category):
    contested = ask(category, "Two people click Take it at once", 10)
    others = [make_user(f"staff{i}@example.com", f"Staff {i}", "staff") for i in range(6)]
    takers = [bob, erin, *others]
    barrier = threading.Barrier(len(takers))
    won, refused, errors = [], [], []

    def click(user):
        try:
            barrier.wait(timeout=10)
            actions.take(user, Thread.objects.get(pk=contested.pk))
            won.append(user.pk)
        except InvalidAction as exc:
            refused.append(str(exc))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=click, args=(u,)) for u in takers]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert len(won) == 1 and len(refused) == len(takers) - 1
    assert Claim.objects.filter(thread=contested).count() == 1
    assert Claim.objects.get(thread=contested).holder_id == won[0]


def test_a_claim_ends_when_its_question_is_solved_however_it_got_there(bob, category):
    """The claim on a solved question ends at once (forum's "thread solved" hook): on the
    answered thread, and on a cluster's other thread solved through the link; so if its
    asker says "still broken" it comes back to the whole team, not to a stale claim."""
    first = ask(category, "PDF export closes the app on macOS 15", 30)
    second = ask(category, "Exporting to PDF crashes on my Mac", 26)
    link(first, second, bob)
    assert sorted(actions.take(bob, first)) == sorted([first.pk, second.pk])
    answer = forum_actions.add_answer(first, bob, "Update to 4.3.1: it fixes PDF export.")
    forum_actions.mark_official(answer, bob)
    # The linked question is solved through the fix at once; the answered one is "answered
    # by staff" until its asker says yes (issue 12, item 3), then its claim ends too.
    assert list(Claim.objects.values_list("thread_id", flat=True)) == [first.pk]
    forum_actions.answer_did_it_fix(first.author, Thread.objects.get(pk=first.pk), fixed=True)
    assert not Claim.objects.exists()
    assert AuditEntry.objects.filter(action="desk.solved_release").count() == 2
    forum_actions.answer_linked_fix(second.author, Thread.objects.get(pk=second.pk), fixed=False)
    back = Thread.objects.get(pk=second.pk)
    assert back.waiting_since == back.created_at and not Claim.objects.filter(thread=back).exists()
