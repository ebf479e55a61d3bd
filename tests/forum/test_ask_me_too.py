"""Issue 12, item 1: the ask page suggests open questions too, and "I have this problem
too" works from there - in place, without JavaScript, and signed out (done after sign-in
or after sign-up and confirmation, forum/pending.py)."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.urls import reverse

from accounts.drafts import SESSION_KEY as DRAFTS
from forum import actions, pending
from forum.models import MeToo
from search import actions as search_actions
from tests.conftest import PASSWORD

ASK = "/questions/ask/"
TYPED = {
    "title": "My notes stopped syncing since the update",
    "body": "Nothing syncs from the laptop at all.",
}


@pytest.fixture
def solved(bob, category, dave):
    thread = actions.create_thread(
        dave, "Notes sync fails with error 42", "Error 42 when syncing notes.", category, ["sync"]
    )
    post = actions.add_answer(thread, bob, "Update to 4.3, the sync error is fixed there.")
    actions.accept_solution(thread, post, dave)
    return thread


def suggest(client, title="notes syncing update", **extra):
    return client.get("/search/suggest", {"title": title, **extra}).content.decode()


def me_too_url(thread) -> str:
    return reverse("forum:me_too", args=[thread.pk])


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the suggestions ---------------------------------------------------------------


def test_suggestions_include_open_questions_marked_open_with_people_affected(client, thread, solved):
    html = suggest(client)
    assert "Has someone asked this already?" in html
    open_item = html[html.index(thread.title) :]
    assert 'class="badge badge-open">Open question<' in open_item
    assert "1 person affected" in open_item
    assert "I have this problem too" in open_item
    assert f'hx-post="{me_too_url(thread)}"' in open_item
    # Not a submit button: Enter in the title must still press "Post your question".
    assert '<button type="button" class="btn btn-small suggest-metoo-button' in open_item
    assert f'"next": "{ASK}"' in open_item
    solved_item = html[html.index(solved.title) :]
    assert "Solved" in solved_item.split("</li>")[0]
    assert "I have this problem too" not in solved_item.split("</li>")[0]


def test_locked_and_deleted_open_questions_are_not_suggested(client, thread, bob, carol):
    assert thread.title in suggest(client)
    actions.lock_thread(thread, bob)
    assert thread.title not in suggest(client)
    actions.unlock_thread(thread, bob)
    assert thread.title in suggest(client)
    actions.delete_thread(thread, carol)
    assert thread.title not in suggest(client)


def test_the_asker_sees_their_own_question_without_the_button(alice_client, thread):
    html = suggest(alice_client)
    assert thread.title in html
    assert "You asked this, so you are already counted." in html
    assert "I have this problem too" not in html


def test_someone_already_affected_sees_it_said(dave_client, dave, thread):
    actions.me_too(dave, thread)
    html = suggest(dave_client)
    assert "You\u2019re affected · following" in html and 'aria-pressed="true"' in html
    assert "2 people affected" in html


def test_suggest_query_count_is_pinned(
    dave_client, alice, category, thread, solved, django_assert_num_queries
):
    """Vocabulary, the ranked candidates, session and user, the forum's one look at the
    open threads, the ask attempt's record (read, insert, update, two savepoints).
    The same count for one open thread or four."""
    suggest(dave_client, attempt=search_actions.new_token())  # warm the public-count cache
    with django_assert_num_queries(12):
        html = suggest(dave_client, attempt=search_actions.new_token())
    assert html.count("I have this problem too") == 1
    for n in range(3):
        actions.create_thread(
            alice, f"Notes syncing stops after update {n}", "Still broken here.", category, []
        )
    with django_assert_num_queries(12):
        html = suggest(dave_client, attempt=search_actions.new_token())
    assert html.count("I have this problem too") == 4


# --- in place, and without JavaScript ------------------------------------------------


def test_in_place_me_too_returns_the_button_pressed_with_the_new_count(dave_client, dave, thread):
    response = dave_client.post(
        me_too_url(thread), {"place": "suggestion", "next": ASK, **TYPED}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="suggest-metoo-{thread.pk}"' in html
    assert 'aria-pressed="true"' in html and "You\u2019re affected · following" in html
    assert f'data-focus-key="suggest-me-too-{thread.pk}"' in html
    assert 'role="status">Added: 2 people affected.' in html
    assert f'id="suggest-affected-{thread.pk}" hx-swap-oob="true">2 people affected<' in html
    assert MeToo.objects.filter(user=dave, thread=thread).exists()
    undone = dave_client.post(
        me_too_url(thread), {"place": "suggestion", "undo": "1", "next": ASK}, HTTP_HX_REQUEST="true"
    )
    assert "I have this problem too" in undone.content.decode()
    assert not MeToo.objects.filter(user=dave, thread=thread).exists()


def test_in_place_me_too_query_count_is_pinned(dave_client, thread, django_assert_num_queries):
    with django_assert_num_queries(20):
        dave_client.post(me_too_url(thread), {"place": "suggestion", "next": ASK}, HTTP_HX_REQUEST="true")


def test_in_place_refusal_is_said_in_the_fragment(alice_client, thread):
    response = alice_client.post(me_too_url(thread), {"place": "suggestion"}, HTTP_HX_REQUEST="true")
    assert 'role="alert">You asked this question' in response.content.decode()
    assert response["HX-Reswap"] == "beforeend"


def test_plain_post_goes_back_to_the_ask_page_with_what_was_typed(dave_client, dave, thread):
    """A plain POST (no htmx) carrying the ask form's fields goes back with them kept."""
    response = dave_client.post(me_too_url(thread), {"next": ASK, **TYPED})
    assert response.status_code == 302 and response["Location"] == ASK
    assert MeToo.objects.filter(user=dave, thread=thread).exists()
    page = dave_client.get(ASK)
    html = page.content.decode()
    assert "Welcome back — here is the question you were writing." in html
    assert TYPED["title"] in html and TYPED["body"] in html
    assert "Choose the product area your question is about" not in html  # never posted: nothing to correct
    assert any("Added: you have “Notes stop syncing after the update” too" in m for m in message_texts(page))


def test_plain_post_refuses_a_foreign_next(dave_client, thread):
    response = dave_client.post(me_too_url(thread), {"next": "https://evil.example/"})
    assert response["Location"] == thread.get_absolute_url()


# --- signed out: remembered, done after sign-in --------------------------------------


def _press_signed_out(client, thread, **extra):
    return client.post(me_too_url(thread), {"next": ASK, **TYPED, **extra})


def _sign_in(client, email, next_path=ASK):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD, "next": next_path})


def test_signed_out_press_goes_to_sign_in_and_is_done_after(client, dave, thread):
    response = _press_signed_out(client, thread)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fquestions%2Fask%2F"
    assert not MeToo.objects.exists()
    assert client.session[DRAFTS][ASK]["title"] == TYPED["title"]
    signed_in = _sign_in(client, dave.email)
    assert signed_in.status_code == 302 and signed_in["Location"] == ASK
    assert MeToo.objects.filter(user=dave, thread=thread).exists()
    assert pending.SESSION_KEY not in client.session
    page = client.get(ASK)
    html = page.content.decode()
    assert "Signed in, and added: you have “Notes stop syncing after the update” too." in html
    assert TYPED["title"] in html  # the question they were writing is back
    assert "You\u2019re affected · following" in suggest(client)


def test_signed_out_htmx_press_redirects_the_whole_page(client, thread):
    response = client.post(
        me_too_url(thread), {"place": "suggestion", "next": ASK, **TYPED}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fquestions%2Fask%2F"
    assert pending.SESSION_KEY in client.session


def test_signed_out_press_on_the_thread_page_comes_back_to_the_thread(client, dave, thread):
    response = client.post(me_too_url(thread))
    assert response["Location"].endswith("next=" + thread.get_absolute_url().replace("/", "%2F"))
    signed_in = _sign_in(client, dave.email, thread.get_absolute_url())
    assert signed_in["Location"] == thread.get_absolute_url()
    assert MeToo.objects.filter(user=dave, thread=thread).exists()
    assert DRAFTS not in client.session or thread.get_absolute_url() not in client.session[DRAFTS]


def test_sign_up_and_confirm_applies_the_me_too(client, thread):
    """ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: opening the link signs the new person in."""
    _press_signed_out(client, thread)
    client.post(
        f"/accounts/signup/?next={ASK}",
        {
            "email": "newbie@example.com",
            "display_name": "Newbie Nguyen",
            "password1": "a-very-good-pass-42",
            "password2": "a-very-good-pass-42",
            "next": ASK,
        },
    )
    assert not MeToo.objects.exists()  # not signed in until the address is confirmed
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    confirmed = client.post(link.split("testserver", 1)[-1])
    assert confirmed.status_code == 302 and confirmed["Location"] == ASK  # back to the question
    me_too = MeToo.objects.get(thread=thread)
    assert me_too.user.email == "newbie@example.com"
    assert any("Signed in, and added" in m for m in message_texts(confirmed))


def test_thread_deleted_meanwhile_applies_nothing_and_says_so(client, dave, carol, thread):
    _press_signed_out(client, thread)
    actions.delete_thread(thread, carol)
    response = _sign_in(client, dave.email)
    assert not MeToo.objects.exists()
    assert any("was removed meanwhile, so nothing was added" in m for m in message_texts(response))


def test_thread_locked_meanwhile_applies_nothing(client, dave, bob, thread):
    _press_signed_out(client, thread)
    actions.lock_thread(thread, bob)
    response = _sign_in(client, dave.email)
    assert not MeToo.objects.exists()
    assert any("was locked meanwhile" in m for m in message_texts(response))


def test_own_thread_applies_nothing_and_says_so(client, alice, thread):
    _press_signed_out(client, thread)
    response = _sign_in(client, alice.email)
    assert not MeToo.objects.exists()
    assert any("is your own question, so you are already counted" in m for m in message_texts(response))


def test_a_tampered_or_expired_pending_me_too_is_ignored(client, dave, thread, settings):
    _press_signed_out(client, thread)
    session = client.session
    session[pending.SESSION_KEY] = signing.dumps(thread.pk, salt="another.salt")
    session.save()
    _sign_in(client, dave.email)
    assert not MeToo.objects.exists()


def test_a_plain_sign_in_with_nothing_pending_says_nothing_extra(client, dave, thread):
    response = _sign_in(client, dave.email)
    assert not any("added" in m for m in message_texts(response))
