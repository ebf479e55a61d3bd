"""send_once: one email per person per event, and no transaction open while mailing."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection

from jobs.mail import send_once
from jobs.models import NotificationSent


def _message():
    return EmailMessage(subject="Hello", body="Body", to=["alice@example.com"])


def test_a_person_is_emailed_once_per_event(alice):
    built = []

    def build():
        built.append(1)
        return _message()

    assert send_once(alice.pk, "answer:1", build) is True
    assert send_once(alice.pk, "answer:1", build) is False
    assert send_once(alice.pk, "answer:2", build) is True
    assert len(mail.outbox) == 2 and len(built) == 2  # not even rendered for someone told


@pytest.mark.django_db(transaction=True)
def test_the_record_is_committed_before_the_mail_server_is_contacted(monkeypatch):
    from tests.conftest import make_user

    alice = make_user("alice@example.com", "Alice")
    seen = {}

    def send(self, fail_silently=False):
        seen["in_transaction"] = connection.in_atomic_block
        seen["recorded"] = NotificationSent.objects.filter(user=alice, event_key="e").exists()
        return 1

    monkeypatch.setattr(EmailMessage, "send", send)
    assert send_once(alice.pk, "e", _message) is True
    assert seen == {"in_transaction": False, "recorded": True}


def test_a_failed_send_forgets_the_record_so_the_retry_sends(alice, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with pytest.raises(ConnectionRefusedError):
        send_once(alice.pk, "e", _message)
    assert not NotificationSent.objects.exists()
    monkeypatch.undo()
    assert send_once(alice.pk, "e", _message) is True
    assert len(mail.outbox) == 1
