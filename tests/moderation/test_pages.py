"""The queue and the audit log: order, filters, who may read them, and pinned query
counts at two data sizes (a signed-in viewer's session and user are two of them)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from audit.actions import record
from audit.models import AuditEntry
from forum import actions as forum_actions
from moderation import actions
from moderation.targets import KINDS
from tests.factories import AnswerFactory, ThreadFactory, UserFactory

SIZES = (3, 30)


def _reports(n, category):
    """n questions and n answers: question i reported by 1 + i % 3 people (with notes), its
    answer by 3 - i % 3 (so the first page always holds both kinds)."""
    reporters = UserFactory.create_batch(3)
    threads = ThreadFactory.create_batch(n, category=category)
    for i, thread in enumerate(threads):
        answer = AnswerFactory(thread=thread)
        for person in reporters[: 1 + i % 3]:
            actions.report(person, KINDS["thread"].target(thread), "spam", note=f"note {i}")
        for person in reporters[: 3 - i % 3]:
            actions.report(person, KINDS["answer"].target(answer), "rude")
    return threads


@pytest.mark.parametrize("n", SIZES)
def test_queue_queries_are_fixed(n, carol_client, category, django_assert_num_queries):
    """session, user, count, cases, open reports (with reporters), questions, answers (with threads)."""
    _reports(n, category)
    carol_client.get("/moderation/")
    with django_assert_num_queries(7):
        response = carol_client.get("/moderation/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2 * n
    assert len(response.context["page"].items) == min(2 * n, 20)


def test_queue_order_most_reporters_then_oldest(category, carol_client):
    threads = _reports(3, category)
    items = carol_client.get("/moderation/").context["page"].items
    answers = [t.posts.get().pk for t in threads]
    order = [(i.case.kind, i.case.object_id, i.case.open_reports) for i in items]
    # most reporters first; among equals, the one first reported first
    assert order == [
        ("answer", answers[0], 3), ("thread", threads[2].pk, 3),
        ("thread", threads[1].pk, 2), ("answer", answers[1], 2),
        ("thread", threads[0].pk, 1), ("answer", answers[2], 1),
    ]  # fmt: skip
    html = carol_client.get("/moderation/").content.decode()
    assert 'Spam <span class="reason-count">\N{MULTIPLICATION SIGN}3</span>' in html and "note 2" in html


def test_reviewed_posts_leave_the_queue(category, carol, carol_client):
    threads = _reports(3, category)
    actions.dismiss(KINDS["thread"].target(threads[2]), carol, "Fine.")
    kinds_ids = [
        (i.case.kind, i.case.object_id) for i in carol_client.get("/moderation/").context["page"].items
    ]
    assert ("thread", threads[2].pk) not in kinds_ids and len(kinds_ids) == 5


@pytest.mark.parametrize("n", SIZES)
def test_review_page_queries_are_fixed(n, carol_client, category, django_assert_num_queries):
    """session, user, thread (+tags), its case, the reports with reporters."""
    thread = ThreadFactory(category=category)
    for person in UserFactory.create_batch(n):
        actions.report(person, KINDS["thread"].target(thread), "spam", note="x")
    url = f"/moderation/thread/{thread.pk}/"
    carol_client.get(url)
    with django_assert_num_queries(6):
        response = carol_client.get(url)
    assert len(response.context["item"].reports) == n


def _log(n, bob, carol, thread):
    for i in range(n):
        forum_actions.lock_thread(thread, bob, reason=f"lock {i}")
        forum_actions.unlock_thread(thread, carol, reason=f"unlock {i}")
    record(None, "thread.delete", thread, reason="automatic", automatic=True)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("who", ["bob_client", "carol_client"])
def test_audit_log_queries_are_fixed(request, n, who, bob, carol, thread, django_assert_num_queries):
    """session, user, the people in the log, count, entries (with actors)."""
    _log(n, bob, carol, thread)
    client = request.getfixturevalue(who)
    client.get("/moderation/audit/")
    with django_assert_num_queries(5):
        response = client.get("/moderation/audit/")
    assert response.context["page"].paginator.count == 2 * n + 1
    assert len(response.context["page"].object_list) == min(2 * n + 1, 50)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("client", 403),
        ("alice_client", 403),
        ("dave_client", 403),
        ("bob_client", 200),
        ("carol_client", 200),
    ],
)
def test_the_audit_log_is_for_the_team(request, who, status):
    assert request.getfixturevalue(who).get("/moderation/audit/").status_code == status


def test_audit_log_filters(bob_client, bob, carol, thread):
    _log(2, bob, carol, thread)

    def count(**params):
        return bob_client.get("/moderation/audit/", params).context["page"].paginator.count

    assert count() == 5
    assert count(action="thread.lock") == 2
    assert count(actor=str(carol.pk)) == 2
    assert count(actor="system") == 1
    assert count(target_kind="thread") == 5
    assert count(target_kind="user") == 0
    today = timezone.now().date().isoformat()
    assert count(since=today, until=today) == 5
    assert count(until="2000-01-01") == 0
    html = bob_client.get("/moderation/audit/", {"action": "thread.unlock"}).content.decode()
    assert "Unlocked a question" in html and "unlock 1" in html and "Carol" in html
    assert ">lock 0<" not in html


def test_audit_log_shows_the_site_as_actor(bob_client, bob, carol, thread):
    _log(0, bob, carol, thread)
    html = bob_client.get("/moderation/audit/").content.decode()
    assert 'Onefix</strong> <span class="badge">Automatic</span>' in html
    assert AuditEntry.objects.count() == 1
