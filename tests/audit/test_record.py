"""audit.actions.record: one row per team action, readable after the target changes or goes."""

from __future__ import annotations

import pytest

from audit.actions import record
from audit.models import AuditEntry
from forum import actions
from forum.models import Category


@pytest.fixture
def thread(alice):
    category = Category.objects.create(name="Sync", slug="sync", position=1)
    return actions.create_thread(
        alice, "Notes stop syncing after the update", "Nothing syncs here.", category
    )


def test_record_reads_kind_id_label_and_address_from_the_target(carol, thread):
    entry = record(carol, "thread.lock", thread, reason="Heated, cooling off")
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_role, entry.action) == (carol, "moderator", "thread.lock")
    assert (entry.target_kind, entry.target_id) == ("thread", thread.pk)
    assert entry.target_label == "Notes stop syncing after the update"
    assert entry.target_url == thread.get_absolute_url()
    assert entry.reason == "Heated, cooling off"


def test_record_without_a_model_row_and_with_details(bob):
    entry = record(bob, "link.confirm", kind="link", target_id=7, label="A ↔ B", score=9.5)
    assert (entry.target_kind, entry.target_id, entry.details) == ("link", 7, {"score": 9.5})


def test_the_log_outlives_the_actor_row(carol, thread):
    entry = record(carol, "thread.delete", thread)
    carol.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.actor_role == "moderator"


def test_an_anonymous_or_missing_actor_is_recorded_as_none(thread):
    from django.contrib.auth.models import AnonymousUser

    assert record(AnonymousUser(), "system.sweep", thread).actor is None
    assert record(None, "system.sweep", thread).actor is None
    assert AuditEntry.objects.count() == 2
