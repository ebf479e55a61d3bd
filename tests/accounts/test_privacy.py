"""A person's own data: download it and delete the account (issue 11, item 10)."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from accounts import privacy
from accounts.models import User
from audit.actions import record
from audit.models import AuditEntry
from forum import actions as forum
from forum.actions import votes
from forum.models import Category, Comment, Follow, HelpfulVote, MeToo, Post, Thread
from jobs.models import NotificationSent
from kb import actions as kb
from kb.models import HelpfulVote as ArticleVote
from search import actions as search
from search.models import AskAttempt
from tests.conftest import PASSWORD
from tests.test_architecture import ALLOWED

DATA = "/account/my-data.json"
DELETE = "/account/delete/"
OUR_APPS = {*ALLOWED, "account"}  # every app of ours (tests/test_architecture.py) and allauth's addresses


def _fields_pointing_at_people() -> set[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and model is not user_model
        for field in model._meta.get_fields()
        if field.concrete and getattr(field, "related_model", None) is user_model
    }


def test_every_row_that_names_a_person_has_an_exporter():
    """Generated from the models: a new model pointing at a person must be exported."""
    missing = _fields_pointing_at_people() - privacy.exported_labels() - {"account.EmailAddress.user"}
    assert missing == set()


@pytest.fixture
def everything(alice, bob, carol, dave):
    """alice has created one row of every kind a customer can; bob and carol acted as team."""
    category = Category.objects.create(name="Sync", slug="sync", position=1)
    mine = forum.create_thread(alice, "Notes stop syncing after the update", "Nothing syncs here.", category)
    theirs = forum.create_thread(dave, "Sync paused on my phone since 4.2", "It says paused.", category)
    forum.edit_thread(mine, alice, "Notes stop syncing after the 4.2 update", "Nothing syncs here at all.")
    answer = forum.add_answer(theirs, alice, "Same here, signing out and in helped once.")
    forum.edit_post(answer, alice, "Same here, signing out and in helped me once.")
    staff_answer = forum.add_answer(theirs, bob, "## Fix\n\nChoose Skip in Settings, then update to 4.2.1.")
    forum.add_comment(theirs, alice, "Did that, it worked.", post=staff_answer)
    votes.me_too(alice, theirs)
    votes.follow(alice, theirs)
    votes.vote_helpful(alice, staff_answer)
    article = kb.promote(staff_answer, bob)
    kb.publish(article, bob)
    kb.vote(article, f"u:{alice.pk}", helpful=True, user=alice)
    token = search.new_token()
    search.record_posted(token, alice)
    NotificationSent.objects.create(user=alice, event_key="answer:1")
    record(carol, "thread.lock", theirs)
    return {"mine": mine, "theirs": theirs, "answer": answer, "article": article}


def test_the_download_holds_every_kind_of_row_the_person_created(alice_client, alice, everything):
    response = alice_client.get(DATA)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="onefix-my-data-')
    data = json.loads(response.content)
    assert data["profile"]["email"] == "alice@example.com"
    assert data["email_addresses"] == [{"email": "alice@example.com", "verified": True, "primary": True}]
    for label in ("forum.Thread.author", "forum.Post.author", "forum.Comment.author", "forum.Revision.editor",
                  "forum.MeToo.user",
                  "forum.Follow.user", "forum.HelpfulVote.user", "kb.HelpfulVote.user",
                  "search.AskAttempt.user", "jobs.NotificationSent.user"):  # fmt: skip
        assert data[label], label
    assert data["forum.Thread.author"][0]["title"] == "Notes stop syncing after the 4.2 update"


def test_the_download_holds_the_persons_comments(alice_client, everything):
    data = json.loads(alice_client.get(DATA).content)
    [comment] = data["forum.Comment.author"]
    assert comment["body"] == "Did that, it worked." and comment["thread_id"] == everything["theirs"].pk


def test_comments_stay_as_a_former_members_but_those_she_took_back_go(
    alice_client, client, alice, everything
):
    theirs = everything["theirs"]
    taken_back = forum.add_comment(theirs, alice, "Never mind, wrong question.")
    forum.delete_comment(taken_back, alice)
    alice_client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    assert list(Comment.objects.filter(author=alice).values_list("body_md", flat=True)) == [
        "Did that, it worked."
    ]
    page = client.get(theirs.get_absolute_url()).content.decode()
    assert "Did that, it worked." in page and "A former member" in page


def test_the_download_holds_nobody_else_s_rows(dave_client, everything):
    data = json.loads(dave_client.get(DATA).content)
    assert "alice@example.com" not in json.dumps(data)


def test_a_moderator_s_download_holds_their_audit_entries(carol_client, everything):
    data = json.loads(carol_client.get(DATA).content)
    assert [e["action"] for e in data["audit.AuditEntry.actor"]] == ["thread.lock"]


def test_signed_out_visitors_get_no_download(client, db):
    assert client.get(DATA).status_code == 302


def test_deleting_the_account_leaves_no_row_that_names_the_person(alice_client, alice, everything):
    alice_client.get("/")  # a live session
    response = alice_client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/"
    alice.refresh_from_db()
    assert (alice.display_name, alice.is_active, alice.has_usable_password()) == (
        "A former member",
        False,
        False,
    )
    assert "alice" not in alice.email.lower()
    assert not EmailAddress.objects.filter(user=alice).exists()
    assert not MeToo.objects.filter(user=alice).exists() and not Follow.objects.filter(user=alice).exists()
    assert not HelpfulVote.objects.filter(user=alice).exists()
    assert not ArticleVote.objects.filter(user=alice).exists()
    assert not NotificationSent.objects.filter(user=alice).exists()
    assert not AskAttempt.objects.filter(user=alice).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(alice.pk)]
    # Nothing anywhere still holds her address or name.
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.concrete_fields:
            if field.get_internal_type() in ("CharField", "TextField", "EmailField"):
                lookup = {f"{field.name}__icontains": "alice"}
                assert not model.objects.filter(**lookup).exists(), f"{model._meta.label}.{field.name}"


def test_counts_are_recomputed_and_the_threads_still_render(alice_client, client, alice, everything):
    theirs, article = everything["theirs"], everything["article"]
    alice_client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    theirs.refresh_from_db()
    article.refresh_from_db()
    assert theirs.me_too_count == MeToo.objects.filter(thread=theirs).count() == 0
    assert theirs.follower_count == Follow.objects.filter(thread=theirs).count()
    assert theirs.people_count == 1  # dave, the asker; alice's me-too and follow are gone
    assert Post.objects.get(author__role="staff").helpful_count == 0
    assert article.helpful_count == 0
    mine = Thread.objects.get(pk=everything["mine"].pk)  # its slug changed with the edit
    page = client.get(mine.get_absolute_url())
    assert page.status_code == 200
    assert "A former member" in page.content.decode()
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert Thread.objects.filter(author=alice).count() == 1  # her public question stays


def test_the_deletion_is_in_the_audit_log_without_personal_data(alice_client, alice, everything):
    alice_client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    entry = AuditEntry.objects.get(action="account.delete")
    assert (entry.actor, entry.target_id, entry.target_label) == (None, alice.pk, "A former member")


def test_a_wrong_password_deletes_nothing(alice_client, alice, everything):
    response = alice_client.post(DELETE, {"password": "not-it", "confirm": "on"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active and alice.display_name == "Alice"


def test_the_last_moderator_cannot_delete_their_account(carol_client, carol):
    page = carol_client.get(DELETE)
    assert "You are the last moderator" in page.content.decode()
    carol_client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    carol.refresh_from_db()
    assert carol.is_active


def test_a_moderator_with_a_colleague_can(carol_client, carol):
    from tests.conftest import make_user

    make_user("erin@example.com", "Erin", User.Role.MODERATOR)
    assert carol_client.post(DELETE, {"password": PASSWORD, "confirm": "on"}).status_code == 302
    carol.refresh_from_db()
    assert not carol.is_active


def test_the_person_is_signed_out_everywhere(alice, everything):
    other_device = Client()
    other_device.force_login(alice)
    privacy.delete_account(alice)
    assert other_device.get("/account/settings/").status_code == 302  # back to sign-in


def test_staff_with_open_claims_cannot_delete_their_account(bob_client, bob, alice):
    """Issue 11, item 10: not while they hold open claims (the desk)."""
    from desk import actions as desk
    from tests.conftest import make_user

    make_user("mia@example.com", "Mia", User.Role.STAFF)  # not the last of their role
    category = Category.objects.create(name="Sync", slug="sync", position=1)
    thread = forum.create_thread(
        alice, "Notes stop syncing after the update", "Nothing syncs here.", category
    )
    desk.take(bob, thread)
    page = bob_client.get(DELETE)
    assert "You hold 1 open claim on the desk" in page.content.decode()
    bob_client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    bob.refresh_from_db()
    assert bob.is_active
    desk.release(bob, thread)
    assert bob_client.post(DELETE, {"password": PASSWORD, "confirm": "on"}).status_code == 302
