"""Each outbox kind goes to its queue family (issue 14): mail, linking, the rest."""

from __future__ import annotations

import pytest
from django.conf import settings

from jobs import outbox


def test_every_kind_that_emails_is_on_the_mail_queue_and_linking_on_its_own():
    expected = {
        "link": outbox.LINKING_QUEUE,
        "fix": outbox.DEFAULT_QUEUE,  # the fan-out records notices; their flush jobs send the mail
        "notice_flush": outbox.MAIL_QUEUE,
        "notice_digest": outbox.MAIL_QUEUE,
        "notify": outbox.MAIL_QUEUE,
        "kb_published": outbox.MAIL_QUEUE,
        "desk_reply": outbox.MAIL_QUEUE,
        "desk_reminder": outbox.MAIL_QUEUE,
        "desk_new_thread": outbox.MAIL_QUEUE,
        "moderation_notice": outbox.MAIL_QUEUE,
    }
    assert {kind: outbox.queue_for(kind) for kind in expected} == expected
    assert set(outbox._kinds) == set(expected), "a new kind: say which queue family it belongs to"


def test_every_queue_family_is_a_celery_queue():
    names = {q.name for q in settings.CELERY_TASK_QUEUES}
    assert set(outbox.QUEUES) <= names and "health" in names


def test_an_unknown_queue_is_refused():
    with pytest.raises(ValueError, match="unknown queue"):
        outbox.register("some_kind", lambda payload: None, queue="nope")
    assert "some_kind" not in outbox._kinds
