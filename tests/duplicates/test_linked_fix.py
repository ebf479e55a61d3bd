"""Leaving the queue because one fix helped many (issue 10, item 5; docs/desk.md "When one
fix helps many"): when a cluster gets its fix, its other threads are solved through it
and leave the staff queue; their askers are asked "Did this fix it for you too?" on the
thread and in the email, and "No, still broken" puts the thread back at its old wait."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from duplicates import clusters, fixes, linking
from duplicates.models import DuplicateLink
from forum import actions
from forum.models import Thread
from kb import actions as kb
from tests.conftest import make_user
from tests.jobs_helpers import run_pending

QUESTION = "Did this fix it for you too?"
SUBJECT = "Fixed on a linked question"


def _thread(author, category, title: str, *, hours_ago: int = 0):
    created = timezone.now() - timedelta(hours=hours_ago) if hours_ago else None
    return actions.create_thread(
        author, title, f"{title}: nothing syncs any more.", category, created_at=created
    )


def _confirm(a, b, by):
    low, high = sorted([a.pk, b.pk])
    link, _ = DuplicateLink.objects.get_or_create(
        low_id=low, high_id=high, defaults={"score": 5.0, "method": "scorer-v1"}
    )
    clusters.confirm_link(link.pk, by)
    return link


def _fresh(thread) -> Thread:
    thread.refresh_from_db()
    return thread


def _fix_mail(to: str):
    return [m for m in mail.outbox if m.subject.startswith(SUBJECT) and m.to == [to]]


@pytest.fixture(autouse=True)
def _fresh_idf():
    linking.reset_background_stats()
    yield
    linking.reset_background_stats()


@pytest.fixture
def pair(alice, dave, bob, category):
    """{A, B}: A asked by dave (where the fix lands), B by alice 30 hours ago, both waiting."""
    a = _thread(dave, category, "Sync stops after the 4.2 update")
    b = _thread(alice, category, "Notes & photos stop syncing on 4.2", hours_ago=30)
    _confirm(a, b, bob)
    run_pending()
    mail.outbox.clear()
    return a, b


def _official(thread, bob):
    post = actions.add_answer(thread, bob, "Reinstall the sync helper, then sign in again.")
    actions.mark_official(post, bob)
    return post


def _assert_solved_through_link(thread, key: str):
    thread = _fresh(thread)
    assert thread.status == Thread.Status.SOLVED
    assert (thread.linked_fix, thread.linked_fix_key) == (Thread.LinkedFix.PENDING, key)
    assert thread.waiting_since is None
    assert not Thread.objects.waiting().filter(pk=thread.pk).exists()


# --- when a fix lands ----------------------------------------------------------------------


def test_an_official_answer_solves_the_other_threads_and_takes_them_out_of_the_queue(pair, bob):
    a, b = pair
    assert Thread.objects.waiting().filter(pk=b.pk).exists()
    post = _official(a, bob)
    _assert_solved_through_link(b, f"fix:official:{post.pk}")
    assert _fresh(b).linked_fix_url == f"{a.get_absolute_url()}#post-{post.pk}"
    assert _fresh(a).linked_fix == ""  # solved on its own


def test_an_accepted_solution_does_the_same(pair, dave, alice):
    a, b = pair
    post = actions.add_answer(a, alice, "Turning sync off and on fixed it here.")
    actions.accept_solution(a, post, dave)
    _assert_solved_through_link(b, f"fix:accepted:{post.pk}")


def test_a_published_kb_article_does_the_same(pair, bob):
    a, b = pair
    answer = actions.add_answer(a, bob, "## Fix\n\nChoose Skip in Settings, then update to 4.2.1.")
    assert _fresh(b).status == Thread.Status.WAITING  # a staff answer on A is not a fix yet
    article = kb.promote(answer, bob)
    kb.publish(article, bob)
    _assert_solved_through_link(b, f"fix:article:{article.pk}")
    assert _fresh(b).linked_fix_url == article.get_absolute_url()


def test_an_article_made_from_two_threads_of_the_cluster_solves_neither_through_the_other(
    pair, alice, bob, category
):
    a, b = pair
    c = _thread(make_user("erin@example.com", "Erin"), category, "Sync broken since updating")
    _confirm(b, c, bob)
    article = kb.promote(actions.add_answer(a, bob, "## Fix\n\nChoose Skip, then update."), bob)
    kb.link_thread(article, b, bob)  # the article resolves B too: B is one of its sources
    kb.publish(article, bob)
    assert _fresh(b).linked_fix == ""  # kb tells B's people itself
    _assert_solved_through_link(c, f"fix:article:{article.pk}")


def test_a_thread_that_is_solved_on_its_own_is_left_alone(pair, alice, bob):
    a, b = pair
    own = actions.add_answer(b, alice, "Found it: reinstall.")
    actions.accept_solution(b, own, alice)
    _official(a, bob)
    assert _fresh(b).linked_fix == ""


def test_a_thread_joining_a_cluster_that_already_has_a_fix_is_solved_through_it(pair, bob, category):
    a, b = pair
    post = _official(a, bob)
    late = _thread(make_user("erin@example.com", "Erin"), category, "Sync gave up after the update")
    assert Thread.objects.waiting().filter(pk=late.pk).exists()
    _confirm(late, b, bob)
    _assert_solved_through_link(late, f"fix:official:{post.pk}")


def test_undoing_the_link_puts_a_thread_that_had_not_answered_back_in_the_queue(pair, bob):
    a, b = pair
    link = DuplicateLink.objects.get()
    _official(a, bob)
    clusters.unconfirm_link(link.pk, bob)
    b = _fresh(b)
    assert (b.linked_fix, b.status, b.waiting_since) == ("", Thread.Status.WAITING, b.created_at)


# --- the asker's answer ----------------------------------------------------------------------


def test_no_still_broken_puts_it_back_in_the_queue_at_its_original_wait(pair, bob, alice_client):
    a, b = pair
    _official(a, bob)
    response = alice_client.post(f"/questions/{b.pk}/linked-fix/", {"fixed": "no"}, follow=True)
    assert response.redirect_chain[-1][0] == b.get_absolute_url()
    assert "it&#x27;s back with the team, at its original wait (waiting 30 h)" in response.content.decode()
    b = _fresh(b)
    assert b.linked_fix == Thread.LinkedFix.REJECTED
    assert b.status == Thread.Status.WAITING
    assert b.waiting_since == b.created_at  # exactly when it was asked
    assert Thread.objects.waiting().filter(pk=b.pk).exists()


def test_yes_its_fixed_confirms_and_it_stays_solved(pair, bob, alice_client):
    a, b = pair
    _official(a, bob)
    response = alice_client.post(f"/questions/{b.pk}/linked-fix/", {"fixed": "yes"}, follow=True)
    assert "Glad it&#x27;s fixed" in response.content.decode()
    b = _fresh(b)
    assert (b.linked_fix, b.status, b.waiting_since) == (
        Thread.LinkedFix.CONFIRMED,
        Thread.Status.SOLVED,
        None,
    )


@pytest.mark.parametrize("who", ["dave_client", "bob_client", "carol_client"])
def test_only_the_asker_may_answer(request, pair, bob, who):
    a, b = pair
    _official(a, bob)
    before = Thread.objects.filter(pk=b.pk).values().get()
    response = request.getfixturevalue(who).post(f"/questions/{b.pk}/linked-fix/", {"fixed": "no"})
    assert response.status_code == 302 and response["Location"] == b.get_absolute_url()
    assert Thread.objects.filter(pk=b.pk).values().get() == before
    html = request.getfixturevalue(who).get(response["Location"]).content.decode()
    assert "Only the person who asked this question can say" in html


def test_a_visitor_is_sent_to_sign_in_and_nothing_changes(pair, bob, client):
    a, b = pair
    _official(a, bob)
    response = client.post(f"/questions/{b.pk}/linked-fix/", {"fixed": "no"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert _fresh(b).linked_fix == Thread.LinkedFix.PENDING


def test_a_get_never_answers(pair, bob, alice_client):
    a, b = pair
    _official(a, bob)
    assert alice_client.get(f"/questions/{b.pk}/linked-fix/?fixed=no").status_code == 405
    alice_client.get(f"{b.get_absolute_url()}?fixed=no")  # the email's link
    assert _fresh(b).linked_fix == Thread.LinkedFix.PENDING


def test_a_choice_that_is_neither_yes_nor_no_is_refused(pair, bob, alice_client):
    a, b = pair
    _official(a, bob)
    assert alice_client.post(f"/questions/{b.pk}/linked-fix/", {"fixed": "maybe"}).status_code == 400
    assert _fresh(b).linked_fix == Thread.LinkedFix.PENDING


def test_the_same_fix_never_solves_it_again_but_a_new_one_does(pair, alice, bob, category):
    a, b = pair
    _official(a, bob)
    actions.answer_linked_fix(alice, b, fixed=False)
    # someone joins: the cluster's fix is announced again; B's asker has said no to it
    late = _thread(make_user("erin@example.com", "Erin"), category, "Sync gave up after the update")
    _confirm(late, a, bob)
    assert _fresh(b).linked_fix == Thread.LinkedFix.REJECTED and _fresh(b).waiting_since == b.created_at
    assert _fresh(late).linked_fix == Thread.LinkedFix.PENDING
    post = _official(late, bob)  # a new fix on the cluster
    _assert_solved_through_link(b, f"fix:official:{post.pk}")


# --- the thread page ---------------------------------------------------------------------------


def _choice_buttons(html: str) -> list[str]:
    return re.findall(r'<button type="submit" name="fixed" value="(yes|no)"', html)


def test_the_asker_sees_the_choice_and_others_see_the_status(
    pair, bob, client, dave_client, bob_client, alice_client
):
    a, b = pair
    _official(a, bob)
    html = alice_client.get(b.get_absolute_url()).content.decode()
    assert QUESTION in html and _choice_buttons(html) == ["yes", "no"]
    assert "Yes, it's fixed" in html and "No, still broken" in html
    assert f'action="/questions/{b.pk}/linked-fix/"' in html
    for other in (client, dave_client, bob_client):
        html = other.get(b.get_absolute_url()).content.decode()
        assert QUESTION not in html and _choice_buttons(html) == []
        assert "Solved through a linked question" in html
        assert 'href="#linked-fix">through a linked question</a>' in html  # beside the Solved badge
    assert "through a linked question" not in client.get(a.get_absolute_url()).content.decode()


def test_after_still_broken_everyone_sees_it_is_still_broken(pair, alice, bob, client, alice_client):
    a, b = pair
    _official(a, bob)
    actions.answer_linked_fix(alice, b, fixed=False)
    html = client.get(b.get_absolute_url()).content.decode()
    assert "Still broken here:" in html and "back with the team" in html
    assert "banner-warning fix-banner" in html  # the banner itself turns from success to warning
    assert "badge-solved" not in html.split('id="question-title"')[0]
    assert 'id="waiting-for-staff"' in html
    html = alice_client.get(b.get_absolute_url()).content.decode()
    assert "You said it is still broken" in html and _choice_buttons(html) == ["yes"]


def test_the_emails_link_suggests_a_button_but_only_the_button_answers(pair, bob, alice_client):
    a, b = pair
    _official(a, bob)
    html = alice_client.get(f"{b.get_absolute_url()}?fixed=no").content.decode()
    assert "Press the button to confirm your answer." in html
    assert 'value="no" class="btn btn-primary"' in html


def test_the_thread_page_costs_no_query_more_for_the_choice(
    pair, bob, client, alice_client, django_assert_num_queries
):
    """Same as any clustered thread's page (tests/duplicates/test_clusters.py): the
    state is on the thread row, the asker is its author_id."""
    a, b = pair
    _official(a, bob)
    for who, expected in ((client, 6), (alice_client, 13)):
        who.get(b.get_absolute_url())
        with django_assert_num_queries(expected):
            who.get(b.get_absolute_url())


# --- the email ------------------------------------------------------------------------------------


def test_the_askers_email_asks_once_and_links_to_the_choice(pair, alice, bob, dave):
    a, b = pair
    voter = make_user("gina@example.com", "Gina")
    actions.me_too(voter, b)
    run_pending()
    mail.outbox.clear()
    _official(a, bob)
    run_pending()
    run_pending()  # nothing left to run; and the job itself, again:
    fix = fixes.Fix.objects.get()
    fixes.handle_fix({"fix_id": fix.pk})
    (message,) = _fix_mail(alice.email)
    assert message.subject == "Fixed on a linked question: Notes & photos stop syncing on 4.2"
    assert message.body.count(QUESTION) == 1
    assert f"{b.get_absolute_url()}?fixed=no#linked-fix" in message.body
    assert "&amp;" not in message.body and "Notes & photos" in message.body
    html = message.alternatives[0][0]
    assert html.count(QUESTION) == 1
    assert f'href="http://testserver{b.get_absolute_url()}?fixed=yes#linked-fix"' in html or (
        f"{b.get_absolute_url()}?fixed=yes#linked-fix" in html
    )
    (other,) = _fix_mail("gina@example.com")  # a me-too voter: told, not asked
    assert QUESTION not in other.body and QUESTION not in other.alternatives[0][0]


def test_an_asker_who_follows_an_older_thread_too_is_asked_about_their_own(pair, alice, bob, category):
    a, b = pair
    older = _thread(make_user("erin@example.com", "Erin"), category, "Sync is stuck since 4.2", hours_ago=40)
    _confirm(older, b, bob)
    actions.follow(alice, older)
    run_pending()
    mail.outbox.clear()
    _official(a, bob)
    run_pending()
    (message,) = _fix_mail(alice.email)
    assert message.body.count(QUESTION) == 1 and b.title in message.subject


def test_an_asker_who_answered_before_the_email_went_is_not_asked(pair, alice, bob):
    a, b = pair
    _official(a, bob)
    actions.answer_linked_fix(alice, b, fixed=True)
    run_pending()
    (message,) = _fix_mail(alice.email)
    assert QUESTION not in message.body
