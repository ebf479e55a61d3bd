"""Editing: author while open, staff and moderators always; every edit keeps history."""

import pytest
from django.urls import reverse

from forum import actions
from forum.errors import NotAllowed
from forum.models import Revision


def edit_thread_form(category, **overrides):
    data = {
        "title": "Notes stop syncing after 4.2",
        "body": "Edited body with details.",
        "category": category.pk,
        "tags": "sync",
    }
    data.update(overrides)
    return data


def test_author_edits_their_question_and_the_old_text_is_kept(alice_client, alice, thread, category):
    old_title, old_body = thread.title, thread.body_md
    response = alice_client.post(reverse("forum:edit_thread", args=[thread.pk]), edit_thread_form(category))
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.title == "Notes stop syncing after 4.2"
    assert thread.edited_at is not None
    revision = Revision.objects.get(thread=thread)
    assert (revision.title, revision.body_md, revision.editor) == (old_title, old_body, alice)


def test_history_page_shows_every_version(client, alice, bob, thread):
    actions.edit_thread(thread, alice, "Second title version", "Second body version")
    actions.edit_thread(thread, bob, "Third title version", "Third body version")
    html = client.get(reverse("forum:thread_history", args=[thread.pk])).content.decode()
    for text in (
        "Notes stop syncing after the update",
        "Second title version",
        "Third title version",
        "Bob",
        "Alice",
    ):
        assert text in html


@pytest.mark.parametrize("who", ["bob_client", "carol_client"])
def test_staff_and_moderators_can_edit_any_question_even_locked(request, who, thread, carol, category):
    actions.lock_thread(thread, carol)
    response = request.getfixturevalue(who).post(
        reverse("forum:edit_thread", args=[thread.pk]), edit_thread_form(category)
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.body_md == "Edited body with details."


def test_another_customer_cannot_edit(dave_client, thread, category):
    response = dave_client.post(reverse("forum:edit_thread", args=[thread.pk]), edit_thread_form(category))
    assert response.status_code == 403
    thread.refresh_from_db()
    assert thread.edited_at is None


def test_author_cannot_edit_a_locked_question(alice_client, alice, carol, thread, category):
    actions.lock_thread(thread, carol)
    assert alice_client.get(reverse("forum:edit_thread", args=[thread.pk])).status_code == 403
    with pytest.raises(NotAllowed):
        actions.edit_thread(thread, alice, "A new title here", "A new body here")


def test_anonymous_edit_goes_to_sign_in(client, thread):
    assert "/accounts/login/" in client.get(reverse("forum:edit_thread", args=[thread.pk]))["Location"]


def test_answer_author_edits_answer_with_history(dave_client, dave, answer):
    response = dave_client.post(reverse("forum:edit_post", args=[answer.pk]), {"body": "Better wording."})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.body_md == "Better wording." and answer.edited_at
    revision = Revision.objects.get(post=answer)
    assert revision.body_md.startswith("Sign out and in again")
    assert (
        "Sign out and in again"
        in dave_client.get(reverse("forum:post_history", args=[answer.pk])).content.decode()
    )


def test_other_customer_cannot_edit_an_answer_but_moderator_can(alice_client, carol_client, answer):
    assert (
        alice_client.post(reverse("forum:edit_post", args=[answer.pk]), {"body": "Hacked"}).status_code == 403
    )
    carol_client.post(reverse("forum:edit_post", args=[answer.pk]), {"body": "Personal data removed."})
    answer.refresh_from_db()
    assert answer.body_md == "Personal data removed."


def test_edit_without_changes_adds_no_revision(alice, thread):
    actions.edit_thread(thread, alice, thread.title, thread.body_md)
    assert not Revision.objects.exists()
