"""Staff-only notes (issue 10 item 7): staff add and read them on the thread page; they
never reach public HTML, the search index, the sitemap, JSON-LD or customers' emails —
checked as a visitor and as the asker. (The site has no feeds: the sitemap is its only
syndication output, checked below.)"""

from __future__ import annotations

import pytest
from django.core import mail

from desk import actions
from desk.models import Note
from forum import actions as forum_actions
from forum.errors import InvalidAction, NotAllowed
from kb import actions as kb_actions
from search.models import SearchEntry
from tests.jobs_helpers import run_pending

SECRET = "ORDER-99817-REFUND-ISSUED"


@pytest.fixture
def noted(bob_client, bob, thread):
    response = bob_client.post(f"/desk/threads/{thread.pk}/notes/", {"body": f"Customer's order {SECRET}"})
    assert response.status_code == 302
    assert Note.objects.get().body_md == f"Customer's order {SECRET}"  # kept as written: not masked
    return thread


def test_staff_see_the_note_on_the_thread_page(bob_client, noted):
    html = bob_client.get(noted.get_absolute_url()).content.decode()
    assert SECRET in html and "Staff-only notes" in html


@pytest.mark.parametrize("who", ["client", "alice_client", "dave_client", "carol_client"])
def test_the_note_is_not_in_the_public_thread_page(request, who, noted):
    html = request.getfixturevalue(who).get(noted.get_absolute_url()).content.decode()
    assert SECRET not in html and "Staff-only notes" not in html


@pytest.mark.parametrize("who", ["client", "alice_client"])
def test_the_note_is_not_in_lists_search_or_the_sitemap(request, who, noted):
    viewer = request.getfixturevalue(who)
    # (searching for the note's words: the page echoes the query itself, so not the secret)
    for url in ("/questions/", "/questions/?tab=waiting", "/search/?q=refund+issued+order", "/sitemap.xml"):
        assert SECRET not in viewer.get(url).content.decode(), url
    assert not SearchEntry.objects.filter(body__contains=SECRET).exists()
    assert not SearchEntry.objects.filter(title__contains=SECRET).exists()


def test_the_note_is_not_in_json_ld_of_an_article_made_from_the_thread(client, alice_client, bob, noted):
    post = forum_actions.add_answer(noted, bob, "Reinstall the app and sign in again, then sync.")
    article = kb_actions.promote(post, bob)
    kb_actions.publish(article, bob)
    for viewer in (client, alice_client):
        html = viewer.get(article.get_absolute_url()).content.decode()
        assert "application/ld+json" in html
        assert SECRET not in html


def test_the_note_is_in_no_email_to_customers(bob, dave, noted):
    forum_actions.me_too(dave, noted)
    post = forum_actions.add_answer(noted, bob, "We have refunded you; the fix ships Friday.")
    forum_actions.mark_official(post, bob)
    run_pending()
    assert mail.outbox, "the asker and the voter were emailed"
    for message in mail.outbox:
        bodies = [message.body, *(content for content, _ in getattr(message, "alternatives", []))]
        assert all(SECRET not in body for body in bodies), message.to


def test_only_staff_add_notes_and_empty_ones_are_refused(alice, carol, bob, thread):
    with pytest.raises(NotAllowed):
        actions.add_note(alice, thread, "I should not be able to")
    with pytest.raises(NotAllowed):
        actions.add_note(carol, thread, "Moderators without the staff role neither")
    with pytest.raises(InvalidAction):
        actions.add_note(bob, thread, "   ")
    assert not Note.objects.exists()


def test_the_note_box_does_not_take_the_answer_box_s_id(bob_client, thread):
    """Both forms have a field "body": the note's label pointed at the answer box, and the
    answer's preview and the saved replies' Insert need the one "id_body" on the page."""
    html = bob_client.get(thread.get_absolute_url()).content.decode()
    assert html.count('id="id_body"') == 1
    assert '<label for="note_body"' in html and 'id="note_body"' in html
