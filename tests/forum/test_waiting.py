"""Waiting for staff (issue 10 items 1 and 10; docs/forum.md): a fact kept by the actions,
the public tab ordered by time waited, and "waiting 18 h" on the list and the thread page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from forum import actions
from forum.models import Thread
from forum.templatetags.forum_tags import waited_words
from tests.conftest import make_user


def _since(thread):
    thread.refresh_from_db()
    return thread.waiting_since


def test_a_customer_question_waits_from_the_moment_it_is_asked(thread):
    assert _since(thread) == thread.created_at


def test_a_question_asked_by_staff_does_not_wait(bob, category):
    thread = actions.create_thread(bob, "A staff announcement here", "Known issue, fix coming.", category)
    assert _since(thread) is None


def test_another_customers_answer_does_not_end_the_wait(thread, dave):
    actions.add_answer(thread, dave, "Same here, following.")
    assert _since(thread) == thread.created_at  # "same here" is not a staff reply


def test_a_staff_reply_ends_the_wait_and_the_askers_reply_starts_a_new_one(thread, bob, alice):
    actions.add_answer(thread, bob, "Could you tell us your app version?")
    assert _since(thread) is None
    reply = actions.add_answer(thread, alice, "It is 4.2.1 on Windows.")
    assert _since(thread) == reply.created_at
    actions.add_answer(thread, alice, "Also on my phone.")  # the wait that began goes on
    assert _since(thread) == reply.created_at


def test_a_me_too_voters_reply_after_staff_starts_a_wait_but_a_bystanders_does_not(thread, bob, dave):
    erin = make_user("erin@example.com", "Erin")
    actions.add_answer(thread, bob, "Try signing out and in.")
    actions.add_answer(thread, erin, "Works for me.")
    assert _since(thread) is None
    actions.me_too(dave, thread)
    reply = actions.add_answer(thread, dave, "Signing out did not help me.")
    assert _since(thread) == reply.created_at


def test_a_moderators_reply_counts_as_the_teams(thread, carol):
    actions.add_answer(thread, carol, "Moving this to the right area; staff will reply.")
    assert _since(thread) is None


def test_solved_locked_and_deleted_threads_do_not_wait_and_come_back_when_undone(thread, bob, carol, alice):
    post = actions.add_answer(thread, alice, "Found it myself: reinstall.")
    actions.accept_solution(thread, post, alice)
    assert _since(thread) is None
    actions.unaccept_solution(thread, alice)
    assert _since(thread) == thread.created_at  # no staff reply yet: the original wait

    actions.lock_thread(thread, bob)
    assert _since(thread) is None
    actions.unlock_thread(thread, bob)
    assert _since(thread) == thread.created_at

    actions.delete_thread(thread, carol)
    assert _since(thread) is None
    actions.restore_thread(thread, carol)
    assert _since(thread) == thread.created_at


def test_an_official_answer_ends_the_wait(thread, bob):
    post = actions.add_answer(thread, bob, "Update to 4.3, it fixes this.")
    actions.add_answer(thread, thread.author, "Where do I get 4.3?")
    assert _since(thread) is not None
    actions.mark_official(post, bob)
    assert _since(thread) is None


def test_deleting_the_staff_reply_puts_the_thread_back_to_waiting(thread, bob, carol):
    post = actions.add_answer(thread, bob, "Try this.")
    assert _since(thread) is None
    actions.delete_post(post, carol)
    assert _since(thread) == thread.created_at


# --- comments (issue 12, item 2): a reply like any other ---------------------------------


def test_the_askers_comment_after_a_staff_answer_starts_the_wait_at_its_time(thread, bob, alice):
    answer = actions.add_answer(thread, bob, "Try signing out and in.")
    assert _since(thread) is None
    comment = actions.add_comment(thread, alice, "That didn't work.", post=answer)
    assert _since(thread) == comment.created_at


def test_a_staff_comment_ends_the_wait_and_the_askers_reply_starts_it_again(thread, bob, alice):
    actions.add_comment(thread, bob, "Which version are you on?")
    assert _since(thread) is None
    reply = actions.add_comment(thread, alice, "4.2.1 on Windows 11.")
    assert _since(thread) == reply.created_at
    assert thread in Thread.objects.waiting()  # the desk's queue reads this


def test_a_moderators_comment_counts_as_the_teams_reply(thread, carol):
    actions.add_comment(thread, carol, "Moved to Sync; staff will look at it.")
    assert _since(thread) is None


def test_a_me_too_voters_comment_restarts_the_wait_but_a_bystanders_does_not(thread, bob, dave):
    erin = make_user("erin@example.com", "Erin")
    answer = actions.add_answer(thread, bob, "Try signing out and in.")
    actions.add_comment(thread, erin, "Same here.", post=answer)  # not a voter: no wait
    assert _since(thread) is None
    actions.me_too(dave, thread)
    comment = actions.add_comment(thread, dave, "Signing out did not help me.")
    assert _since(thread) == comment.created_at


def test_an_earlier_answer_by_the_asker_still_starts_the_wait_before_a_later_comment(thread, bob, alice):
    actions.add_comment(thread, bob, "Which version are you on?")
    answer = actions.add_answer(thread, alice, "4.2.1; here is the log: sync failed at 10:02.")
    actions.add_comment(thread, alice, "And on the phone, 4.1.3.")
    assert _since(thread) == answer.created_at  # the first thing written after the team's reply


def test_deleting_the_staff_comment_brings_the_old_wait_back(thread, bob, carol):
    comment = actions.add_comment(thread, bob, "Which version are you on?")
    assert _since(thread) is None
    actions.delete_comment(comment, carol)
    assert _since(thread) == thread.created_at


def test_a_staff_comment_under_a_deleted_answer_no_longer_counts(thread, bob, carol, dave):
    answer = actions.add_answer(thread, dave, "Same here.")
    actions.add_comment(thread, bob, "Which version, both of you?", post=answer)
    assert _since(thread) is None
    actions.delete_post(answer, carol)
    assert _since(thread) == thread.created_at


def test_people_count_is_asker_voters_and_followers_outside_the_team_each_once(thread, dave, bob):
    erin = make_user("erin@example.com", "Erin")
    actions.me_too(dave, thread)  # votes and follows: counted once
    actions.follow(erin, thread)
    actions.follow(bob, thread)  # staff following is not being affected
    thread.refresh_from_db()
    assert thread.people_count == 3
    actions.unfollow(erin, thread)
    actions.undo_me_too(dave, thread)  # dave still follows
    thread.refresh_from_db()
    assert thread.people_count == 2


# --- public signals --------------------------------------------------------------------------


def test_waited_words_are_plain_hours():
    now = timezone.now()
    assert waited_words(now - timedelta(minutes=25), now) == "waiting 25 min"
    assert waited_words(now - timedelta(hours=18, minutes=40), now) == "waiting 18 h"
    assert waited_words(now - timedelta(hours=80), now) == "waiting 3 days"


def _ask(author, category, title, hours_ago):
    return actions.create_thread(
        author,
        title,
        f"Body text of the question: {title}.",
        category,
        created_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_waiting_tab_lists_waiting_threads_longest_wait_first(client, alice, bob, category):
    recent = _ask(alice, category, "Recent waiting question", 2)
    oldest = _ask(alice, category, "Oldest waiting question", 30)
    middle = _ask(alice, category, "Middle waiting question", 10)
    answered = _ask(alice, category, "Answered by staff already", 50)
    actions.add_answer(answered, bob, "Here is the fix.")
    response = client.get("/questions/?tab=waiting")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Waiting for staff" in html
    positions = [html.index(t.title) for t in (oldest, middle, recent)]
    assert positions == sorted(positions)
    assert answered.title not in html
    # The status badge says it, with how long: "Waiting for staff · 30 h".
    assert ">30 h</time>" in html and ">2 h</time>" in html


def test_thread_page_shows_how_long_it_has_waited_and_stops_after_a_staff_reply(client, alice, bob, category):
    thread = _ask(alice, category, "Printing cuts the last line", 18.5)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Waiting for staff · " in html and ">18 h</time>" in html
    actions.add_answer(thread, bob, "Known issue; a fix ships Friday.")
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Waiting for staff · " not in html


def test_waiting_rows_survive_on_the_list_for_every_tab(client, alice, category):
    _ask(alice, category, "Some waiting question", 5)
    assert (
        "Waiting for staff · " in (html := client.get("/questions/").content.decode())
        and ">5 h</time>" in html
    )
    assert Thread.objects.waiting().count() == 1


def test_the_htmx_me_too_fragment_shows_the_new_people_count(dave_client, thread):
    html = dave_client.post(f"/questions/{thread.pk}/me-too/", HTTP_HX_REQUEST="true").content.decode()
    assert '<dd id="fact-affected" hx-swap-oob="true">' in html
    assert (
        '<strong data-testid="people-affected">2</strong> people affected <span class="muted">on this question</span>'
        in html
    )
