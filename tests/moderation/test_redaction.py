"""Edit out personal data: the text changes, every earlier revision loses its text (and
keeps who redacted it, and when), the public history says so, search forgets it."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from forum import actions as forum_actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import Revision
from moderation.models import Case
from search import query
from search.models import SearchEntry

SECRET = "Grimsby Wharf 17"  # an address: masking does not catch it, a moderator must


@pytest.fixture
def edited_thread(alice, bob, category):
    """A question whose address went through two edits (the last one by staff took it out
    of the text, so only the history still shows it)."""
    thread = forum_actions.create_thread(
        alice, "Parcel never arrived at my home", f"I live at {SECRET}, nothing came.", category
    )
    forum_actions.edit_thread(
        thread, alice, f"Parcel never arrived at {SECRET}", f"I live at {SECRET}, still nothing."
    )
    forum_actions.edit_thread(thread, bob, "Parcel never arrived at my home", "Nothing came, two weeks now.")
    return thread


def test_redaction_scrubs_every_earlier_revision(edited_thread, carol_client, carol):
    response = carol_client.post(
        f"/moderation/thread/{edited_thread.pk}/redact/",
        {
            "redact-title": "Parcel never arrived",
            "redact-body": "Nothing came, two weeks now.",
            "redact-reason": "Home address.",
        },
    )
    assert response.status_code == 302
    edited_thread.refresh_from_db()
    assert edited_thread.title == "Parcel never arrived"
    revisions = list(Revision.objects.filter(thread=edited_thread))
    assert len(revisions) == 3  # two edits and the redaction itself
    for revision in revisions:
        assert SECRET not in revision.title + revision.body_md + revision.body_html
        assert revision.body_md == Revision.REDACTED_TEXT
        assert (revision.redacted_by, revision.redacted_at is not None) == (carol, True)
    entry = AuditEntry.objects.get(action="thread.redact")
    assert (entry.actor, entry.reason, entry.details) == (carol, "Home address.", {"revisions_scrubbed": 2})


def test_the_public_history_says_what_happened_without_the_text(edited_thread, carol, client):
    forum_actions.redact_thread(edited_thread, carol, "Parcel never arrived", "Nothing came.", "Address")
    html = client.get(f"/questions/{edited_thread.pk}/history/").content.decode()
    assert SECRET not in html
    assert html.count("Edited by a moderator to remove personal data") == 3
    assert "Carol" in html and "Alice" in html and "Bob" in html  # who edited, and who redacted, stay


def test_search_forgets_the_old_text(edited_thread, carol, alice):
    forum_actions.redact_thread(edited_thread, carol, "Parcel never arrived", "Nothing came.", "Address")
    assert query("Grimsby", user=carol).hits == []
    entry = SearchEntry.objects.get(kind="thread", object_id=edited_thread.pk)
    assert SECRET not in entry.title + entry.body


def test_an_answers_history_is_scrubbed_too(answer, dave, carol, client):
    forum_actions.edit_post(answer, dave, f"Call me, I am at {SECRET}.")
    forum_actions.edit_post(answer, dave, "Sign out and in again.")
    forum_actions.redact_post(answer, carol, "Sign out and in again.", "Address in the history")
    assert not Revision.objects.filter(post=answer).exclude(body_md=Revision.REDACTED_TEXT).exists()
    html = client.get(f"/questions/answers/{answer.pk}/history/").content.decode()
    assert SECRET not in html and "Edited by a moderator to remove personal data" in html


def test_old_audit_labels_lose_the_redacted_title(category, alice, carol, bob):
    thread = forum_actions.create_thread(alice, f"Parcel to {SECRET} lost", "Nothing came at all.", category)
    forum_actions.lock_thread(thread, bob)
    forum_actions.redact_thread(thread, carol, "Parcel lost in transit", "Nothing came at all.", "Address")
    assert not AuditEntry.objects.filter(target_label__contains="Grimsby").exists()
    assert not AuditEntry.objects.filter(target_url__contains="grimsby").exists()


def test_redaction_closes_the_reports(edited_thread, carol, dave):
    from moderation import actions
    from moderation.targets import KINDS

    actions.report(dave, KINDS["thread"].target(edited_thread), "personal_data")
    edited_thread.refresh_from_db()
    actions.redact(
        KINDS["thread"].target(edited_thread), carol, "Address", "Nothing came.", "Parcel never arrived"
    )
    assert Case.objects.get().decision == "redacted"


def test_only_moderators_redact_and_with_a_reason(edited_thread, bob, carol):
    with pytest.raises(NotAllowed):
        forum_actions.redact_thread(edited_thread, bob, "Parcel never arrived", "Nothing came.", "Address")
    with pytest.raises(InvalidAction):
        forum_actions.redact_thread(edited_thread, carol, "Parcel never arrived", "Nothing came.", " ")
    assert not Revision.objects.filter(redacted_at__isnull=False).exists()
