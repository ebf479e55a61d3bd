"""A post reported by MODERATION_AUTO_HIDE_REPORTS trusted people is hidden until reviewed,
through forum's own action, and the audit log says the site did it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import actions as account_actions
from accounts import rules
from audit.models import AuditEntry
from moderation import actions
from moderation.models import Case
from moderation.targets import KINDS
from search import query
from tests.conftest import make_user
from tests.moderation.conftest import age


def _report_all(people, target_obj, kind="thread", reason="spam"):
    for person in people:
        actions.report(person, KINDS[kind].target(target_obj), reason)


def test_three_trusted_reports_hide_a_thread_until_reviewed(trusted, spam_thread, alice):
    _report_all(trusted[:2], spam_thread)
    spam_thread.refresh_from_db()
    assert not spam_thread.is_deleted
    _report_all(trusted[2:3], spam_thread)
    spam_thread.refresh_from_db()
    assert spam_thread.is_deleted and spam_thread.deleted_by is None
    assert query("watches", user=alice).hits == []
    case = Case.objects.get()
    assert case.auto_hidden_at is not None and case.open_trusted == 3
    entry = AuditEntry.objects.get(action="thread.delete")
    assert entry.actor is None and entry.details == {"automatic": True}
    assert entry.reason.startswith("Reported by 3 trusted people")


def test_the_threshold_is_a_setting(settings, trusted, spam_thread):
    settings.MODERATION_AUTO_HIDE_REPORTS = 5
    _report_all(trusted[:4], spam_thread)
    spam_thread.refresh_from_db()
    assert not spam_thread.is_deleted
    _report_all(trusted[4:], spam_thread)
    spam_thread.refresh_from_db()
    assert spam_thread.is_deleted


def test_untrusted_reports_count_in_the_queue_but_hide_nothing(spam_thread, category):
    new = [make_user(f"new{i}@example.com", f"New {i}") for i in range(4)]  # accounts of today
    _report_all(new, spam_thread)
    spam_thread.refresh_from_db()
    assert not spam_thread.is_deleted
    case = Case.objects.get()
    assert (case.open_reports, case.open_trusted) == (4, 0)


def test_an_answer_is_hidden_the_same_way(trusted, answer):
    _report_all(trusted[:3], answer, kind="answer")
    answer.refresh_from_db()
    assert answer.is_deleted and answer.deleted_by is None
    assert AuditEntry.objects.filter(action="post.delete", actor=None).count() == 1


def test_dismissing_reports_restores_an_automatically_hidden_post(trusted, spam_thread, carol):
    _report_all(trusted[:3], spam_thread)
    spam_thread.refresh_from_db()
    assert actions.dismiss(KINDS["thread"].target(spam_thread), carol, "It is a real question.")
    spam_thread.refresh_from_db()
    assert not spam_thread.is_deleted
    case = Case.objects.get()
    assert (case.open_reports, case.decision, case.reviewed_by) == (0, "dismissed", carol)
    assert list(AuditEntry.objects.filter(actor=carol).values_list("action", flat=True)) == [
        "reports.dismiss",
        "thread.restore",
    ]


def test_who_is_trusted(alice, unverified, dave):
    assert not rules.is_trusted(alice)  # a new account
    age(alice, 30)
    assert rules.is_trusted(alice)
    age(unverified, 30)
    assert not rules.is_trusted(unverified)
    age(dave, 30)
    account_actions.suspend(dave, timezone.now() + timedelta(days=1), "cool off")
    assert not rules.is_trusted(dave)
    assert not rules.is_trusted(None)


@pytest.mark.parametrize("days", [6, 7])
def test_the_account_age_is_a_setting(settings, alice, days):
    settings.MODERATION_TRUSTED_ACCOUNT_DAYS = 7
    age(alice, days)
    assert rules.is_trusted(alice) is (days >= 7)
