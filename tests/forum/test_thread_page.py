"""The thread page: pinned official/accepted answers, badges, canonical URL, meta (query
counts: test_queries.py)."""

from datetime import timedelta

from django.utils import timezone

from forum import actions
from forum.hooks import _panels, register_thread_panel
from tests.conftest import make_user


def test_anyone_reads_a_question_and_its_answers(client, thread, answer):
    response = client.get(thread.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert thread.title in html and "Sign out and in again" in html
    assert "alice@example.com" not in html and "dave@example.com" not in html


def test_wrong_or_missing_slug_redirects_permanently_to_the_canonical_url(client, thread):
    for url in (f"/questions/{thread.pk}/", f"/questions/{thread.pk}/wrong-slug/"):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == thread.get_absolute_url()


def test_unknown_thread_is_404(client, db):
    assert client.get("/questions/999/anything/").status_code == 404


def test_page_has_canonical_link_and_description_from_the_body(client, thread):
    html = client.get(thread.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{thread.get_absolute_url()}">' in html
    assert '<meta name="description" content="Since 4.2 nothing syncs from my laptop.">' in html


def test_official_and_accepted_answers_are_pinned_on_top_and_marked(client, thread, alice, bob, dave, carol):
    early = actions.add_answer(thread, dave, "Early community answer")
    liked = actions.add_answer(thread, carol, "Liked answer")
    actions.vote_helpful(alice, liked)
    official = actions.add_answer(thread, bob, "Official staff fix")
    actions.mark_official(official, bob)
    accepted = actions.add_answer(thread, make_user("x@example.com", "Xavier"), "The accepted one")
    actions.accept_solution(thread, accepted, alice)
    html = client.get(thread.get_absolute_url()).content.decode()
    order = [html.index(f'id="post-{p.pk}"') for p in (accepted, official, liked, early)]
    assert order == sorted(order)
    assert "✓ Accepted solution" in html and "★ Official answer" in html
    assert '<span class="badge badge-staff">Staff</span>' in html
    assert (
        '<span class="badge badge-status badge-solved" data-status="solved"><span aria-hidden="true">✓ </span>Solved</span>'
        in html
    )


def test_view_count_goes_up(client, thread):
    client.get(thread.get_absolute_url())
    client.get(thread.get_absolute_url())
    thread.refresh_from_db()
    assert thread.view_count == 2


def test_buttons_shown_depend_on_who_looks(client, alice_client, bob_client, carol_client, answer, thread):
    assert "Accept as solution" not in client.get(thread.get_absolute_url()).content.decode()
    assert "Accept as solution" in alice_client.get(thread.get_absolute_url()).content.decode()
    staff = bob_client.get(thread.get_absolute_url()).content.decode()
    assert "Mark official" in staff and "Lock" in staff and ">Delete<" not in staff
    assert ">Delete<" in carol_client.get(thread.get_absolute_url()).content.decode()


def test_other_apps_can_add_panels_to_the_thread_page(client, thread):
    def banner(request, t):
        return f'<div class="test-panel">Panel for {t.pk}</div>'

    register_thread_panel("after_question", banner)
    try:
        html = client.get(thread.get_absolute_url()).content.decode()
    finally:
        _panels["after_question"].remove(banner)
    assert f"Panel for {thread.pk}" in html
    assert html.index("test-panel") < html.index('id="answers-title"')


def test_first_staff_reply_reads_naturally(client, alice, bob, category):
    quick = actions.create_thread(
        alice, "Export button does nothing", "Clicking Export has no effect.", category
    )
    actions.add_answer(quick, bob, "Fixed in 4.2.1, please update.")
    asked = timezone.now() - timedelta(hours=3)
    slow = actions.create_thread(
        alice, "Widget is empty on iPhone", "The widget shows no notes.", category, created_at=asked
    )
    actions.add_answer(slow, bob, "Remove and add the widget again.", created_at=asked + timedelta(hours=2))
    assert "within a minute" in client.get(quick.get_absolute_url()).content.decode()
    html = client.get(slow.get_absolute_url()).content.decode()
    assert "after 2\xa0hours" in html and "within a minute" not in html


def test_answers_paginate_with_the_pinned_ones_on_page_one(client, thread, alice, bob, category):
    """Issue 14, item 4: past ANSWERS_PER_PAGE other answers the page has a pager; the
    official answer stays on top of page 1 only; ?answer=<id> (an answer's link) opens the
    page holding it."""
    from forum.queries import ANSWERS_PER_PAGE
    from tests.factories import AnswerFactory

    official = AnswerFactory(thread=thread, author=bob)
    actions.mark_official(official, bob)
    others = AnswerFactory.create_batch(ANSWERS_PER_PAGE + 2, thread=thread)
    first = client.get(thread.get_absolute_url()).content.decode()
    assert first.count('id="post-') == ANSWERS_PER_PAGE + 1
    assert f'id="post-{official.pk}"' in first
    assert 'aria-label="Pages of answers"' in first and "Page 1 of 2" in first
    assert f"{ANSWERS_PER_PAGE + 3} answers" in first
    second = client.get(thread.get_absolute_url() + "?page=2").content.decode()
    assert second.count('id="post-') == 2
    assert f'id="post-{official.pk}"' not in second and "Page 2 of 2" in second
    # Display order: helpfulness, then age: the last two created are on page 2.
    last = others[-1]
    assert last.get_absolute_url() == f"{thread.get_absolute_url()}?answer={last.pk}#post-{last.pk}"
    linked = client.get(last.get_absolute_url()).content.decode()
    assert f'id="post-{last.pk}"' in linked and "Page 2 of 2" in linked
    assert "Page 1 of 2" in client.get(f"{thread.get_absolute_url()}?answer={others[0].pk}").content.decode()
    # A page number out of range or not a number shows a page, never an error.
    assert client.get(thread.get_absolute_url() + "?page=99").status_code == 200
    assert client.get(thread.get_absolute_url() + "?page=x").status_code == 200


def test_each_answers_comment_form_is_the_one_django_renders(client, thread, answer):
    """The blank "Add a comment" form is rendered once a page and re-keyed per answer
    (issue 14, item 4): its fields are exactly what the form renders for that answer."""
    from forum.views.threads import comment_form_for

    html = client.get(thread.get_absolute_url()).content.decode()
    form = comment_form_for(answer.pk)
    assert str(form["post"]) in html and str(form["comment"]) in html
    assert f'<label for="comment-{answer.pk}-comment" class="visually-hidden">' in html
    assert f'id="comment-{answer.pk}-comment_helptext"' in html
    assert f'id="comment-{answer.pk}-comment_counter"' in html
