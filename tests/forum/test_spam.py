"""Spam defence that needs no outside service (issue 11, item 4)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import signing
from django.utils import timezone

from accounts import humans
from forum import actions
from forum.errors import InvalidAction
from forum.models import Post, Thread

ASK = "/questions/ask/"
LINKS = "See [a](https://a.example) and [b](https://b.example) and [c](https://c.example) for details."


def _age(user, days: int):
    user.date_joined = timezone.now() - dt.timedelta(days=days)
    user.save(update_fields=["date_joined"])


def test_a_new_account_may_not_post_more_than_two_links(alice, category):
    with pytest.raises(InvalidAction, match="at most 2 links or images in a post"):
        actions.create_thread(alice, "Three links in my question", LINKS, category)
    with pytest.raises(InvalidAction, match="at most 2 links"):
        actions.add_answer(actions.create_thread(alice, "A plain question", "No links here at all.", category),
                           alice, LINKS)  # fmt: skip
    assert Thread.objects.count() == 1 and Post.objects.count() == 0


def test_an_established_account_and_the_team_may(alice, bob, category):
    _age(alice, 30)
    thread = actions.create_thread(alice, "Three links in my question", LINKS, category)
    actions.add_answer(thread, bob, LINKS.replace("details", "the fix"))
    assert Post.objects.count() == 1


def test_an_edit_cannot_add_the_links_either(alice, category):
    thread = actions.create_thread(alice, "A plain question", "No links here at all.", category)
    with pytest.raises(InvalidAction, match="at most 2 links"):
        actions.edit_thread(thread, alice, "A plain question", LINKS)
    thread.refresh_from_db()
    assert thread.body_md == "No links here at all."


def test_the_same_text_posted_again_is_refused(alice, dave, category):
    spam = "Cheap licence keys for every product, write to us today for a discount!"
    first = actions.create_thread(alice, "First place for this text", spam, category)
    with pytest.raises(InvalidAction, match="You posted this same text a moment ago"):
        actions.add_answer(
            first, alice, "  cheap LICENCE keys for every product, write to us today for a discount! "
        )
    actions.add_answer(first, dave, spam)  # another person may quote it
    actions.add_answer(first, alice, "Same here")  # short replies may repeat
    actions.add_answer(first, alice, "Same here")


def test_the_repeat_window_ends(alice, category):
    text = "Cheap licence keys for every product, write to us today for a discount!"
    thread = actions.create_thread(alice, "First place for this text", text, category)
    Thread.objects.filter(pk=thread.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    actions.create_thread(alice, "Second place for this text", text, category)


def spam_hook(kind, author, text) -> bool:
    return "casino" in text.lower()


def test_an_outside_spam_check_can_be_plugged_in(alice, category, settings):
    settings.SPAM_CHECK_HOOK = "tests.forum.test_spam.spam_hook"
    with pytest.raises(InvalidAction, match="Our spam filter held this post"):
        actions.create_thread(alice, "Best casino bonus codes", "Visit the casino now, best bonus.", category)
    actions.create_thread(alice, "Sync stops after the update", "Nothing syncs since 4.2.", category)


def _ask(client, category, **extra):
    data = {"title": "Sync stops after the 4.2 update", "body": "Nothing syncs from my laptop since the update.",
            "category": category.pk, "tags": "sync", **extra}  # fmt: skip
    return client.post(ASK, data)


def test_a_filled_honeypot_refuses_the_question_and_keeps_the_text(alice_client, category):
    response = _ask(alice_client, category, website="https://cheap-keys.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "it is there to catch robots" in html
    assert "Nothing syncs from my laptop since the update." in html
    assert not Thread.objects.exists()


def test_a_question_sent_faster_than_a_person_types_is_refused(alice_client, category, settings):
    settings.SPAM_MIN_FILL_SECONDS = 3
    started = alice_client.get(ASK).context["form"]["started"].value()
    response = _ask(alice_client, category, started=started)
    assert response.status_code == 400
    assert "faster than a person can type" in response.content.decode()
    assert not Thread.objects.exists()
    earlier = signing.dumps(time.time() - 10, salt="onefix.humans.started")
    assert _ask(alice_client, category, started=earlier).status_code == 302


def test_a_forged_or_missing_start_stamp_is_refused(alice_client, category, settings):
    settings.SPAM_MIN_FILL_SECONDS = 3
    assert _ask(alice_client, category, started="1700000000").status_code == 400
    assert _ask(alice_client, category).status_code == 400
    assert humans.seconds_since("1700000000") is None


def test_the_honeypot_is_out_of_sight_on_the_ask_page(alice_client):
    html = alice_client.get(ASK).content.decode()
    assert '<div class="hp-field" aria-hidden="true">' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html
    assert "robots fill it in" not in html  # the template's comment is not printed


def test_sign_up_has_the_honeypot_and_the_fill_time_too(client, db, settings):
    settings.SPAM_MIN_FILL_SECONDS = 3
    data = {"email": "bot@example.com", "display_name": "Botty McBot", "password1": "a-very-good-pass-42",
            "password2": "a-very-good-pass-42"}  # fmt: skip
    started = client.get("/accounts/signup/").context["form"]["started"].value()
    assert client.post("/accounts/signup/", {**data, "started": started}).status_code == 200  # form again
    assert (
        "faster than a person"
        in client.post("/accounts/signup/", {**data, "started": started}).content.decode()
    )
    earlier = signing.dumps(time.time() - 10, salt="onefix.humans.started")
    refused = client.post("/accounts/signup/", {**data, "started": earlier, "website": "x"})
    assert "it is there to catch robots" in refused.content.decode()
    accepted = client.post("/accounts/signup/", {**data, "started": earlier})
    assert accepted.status_code == 302
