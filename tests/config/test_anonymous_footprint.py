"""A visitor who only reads leaves no row behind (issue 11, item 8).

Every page a reader or a crawler can reach, including the ask page and its live
suggestions: no session row and no ask-attempt row. Writing something (a signed-out
answer kept as a draft while the visitor signs in) may create a session.
"""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from forum import actions
from forum.models import Category
from search.models import AskAttempt


@pytest.fixture
def question(alice):
    category = Category.objects.create(name="Sync", slug="sync", position=1)
    return actions.create_thread(
        alice, "Notes stop syncing after the update", "Nothing syncs.", category, ["sync"]
    )


def test_reading_every_public_page_writes_no_session_and_no_attempt(client, question):
    pages = [
        "/", "/questions/", "/questions/?tab=unanswered", question.get_absolute_url(), "/questions/tagged/sync/",
        "/questions/category/sync/", "/kb/", "/search/?q=sync", "/questions/ask/", "/accounts/login/",
        "/accounts/signup/", f"/users/{question.author_id}/", "/sitemap.xml", "/healthz",
    ]  # fmt: skip
    for path in pages:
        expected = 503 if path == "/healthz" else 200  # no worker runs in this test
        assert client.get(path).status_code == expected, path
    token = client.get("/questions/ask/").context["ask_attempt"]
    client.get("/search/suggest", {"title": "a question nothing matches xqzv", "attempt": token})
    assert Session.objects.count() == 0
    assert AskAttempt.objects.count() == 0


def test_a_signed_out_visitor_who_writes_an_answer_gets_a_session_for_the_draft(client, question):
    client.post(f"/questions/{question.pk}/answer/", {"body": "Try signing out and in again."})
    assert Session.objects.count() == 1
