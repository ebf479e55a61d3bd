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
        "desk_spike": outbox.MAIL_QUEUE,
        "moderation_notice": outbox.MAIL_QUEUE,
        "topic_match": outbox.DEFAULT_QUEUE,  # records notices (forum/topics.py); flush and digest send
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


@pytest.mark.django_db
def test_a_job_the_broker_never_got_is_sent_by_the_next_sweep_not_after_the_grace():
    """Posted during a broker outage: never sent, so never in flight; due after
    UNSENT_GRACE (seconds), not GRACE (minutes) as a job that may still be queued."""
    from datetime import timedelta

    from django.utils import timezone

    from jobs.models import PendingJob

    now = timezone.now()
    never_sent = PendingJob.objects.create(kind="link", payload={}, created_at=now - timedelta(seconds=20))
    just_made = PendingJob.objects.create(kind="link", payload={}, created_at=now - timedelta(seconds=5))
    in_flight = PendingJob.objects.create(
        kind="link", payload={}, created_at=now - timedelta(seconds=30), sent_at=now - timedelta(seconds=30)
    )
    due = set(outbox.due_jobs(now=now).values_list("pk", flat=True))
    assert never_sent.pk in due
    assert just_made.pk not in due  # its after-commit send comes first
    assert in_flight.pk not in due  # may still be in the broker: waits for GRACE
