"""A moderator's decisions through the pages: each takes a reason, is written to the audit
log, closes the post's reports and tells the author by email (never for a spam ban).
Customers, staff and visitors are refused."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from audit.models import AuditEntry
from forum import actions as forum_actions
from moderation import actions
from moderation.models import Case
from moderation.targets import KINDS
from tests.jobs_helpers import run_pending

pytestmark = pytest.mark.django_db


def _reported(thread, *people):
    for person in people:
        actions.report(person, KINDS["thread"].target(thread), "spam")


def test_hide_with_a_reason_tells_the_author_and_logs_it(
    carol_client, carol, spam_thread, spammer, dave, django_capture_on_commit_callbacks
):
    _reported(spam_thread, dave)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = carol_client.post(
            f"/moderation/thread/{spam_thread.pk}/hide/", {"hide-reason": "Advertising."}
        )
    assert response.status_code == 302
    assert len(callbacks) >= 1  # the email job is sent to a worker only after commit
    spam_thread.refresh_from_db()
    assert spam_thread.is_deleted and spam_thread.deleted_by == carol
    entry = AuditEntry.objects.get(action="thread.delete")
    assert (entry.actor, entry.actor_role, entry.reason) == (carol, "moderator", "Advertising.")
    case = Case.objects.get()
    assert (case.open_reports, case.decision) == (0, "hidden")
    assert run_pending() >= 1
    [email] = mail.outbox
    assert email.to == [spammer.email]
    assert email.subject == "A moderator hid your question"
    assert "Advertising." in email.body and spam_thread.title in email.body
    assert spam_thread.get_absolute_url() not in email.body  # a hidden post's address would be a 404


def test_a_reason_is_required(carol_client, spam_thread):
    response = carol_client.post(f"/moderation/thread/{spam_thread.pk}/hide/", {"hide-reason": "  "})
    assert response.status_code == 400
    assert "Please give a reason." in response.content.decode()
    spam_thread.refresh_from_db()
    assert not spam_thread.is_deleted
    assert not AuditEntry.objects.exists()


def test_restore_and_lock_tell_the_author(carol_client, carol, thread, alice):
    forum_actions.delete_thread(thread, carol, reason="oops")
    carol_client.post(
        f"/moderation/thread/{thread.pk}/hide/", {"restore": "1", "hide-reason": "Hidden by mistake."}
    )
    carol_client.post(f"/moderation/thread/{thread.pk}/lock/", {"lock-reason": "Answered many times."})
    thread.refresh_from_db()
    assert not thread.is_deleted and thread.is_locked
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "thread.delete",
        "thread.restore",
        "thread.lock",
    ]
    run_pending()
    assert [m.subject for m in mail.outbox] == [
        "Your question is visible again",
        "A moderator locked your question",
    ]
    assert all(m.to == [alice.email] for m in mail.outbox)


def test_hiding_an_answer(carol_client, carol, answer, dave):
    response = carol_client.post(f"/moderation/answer/{answer.pk}/hide/", {"hide-reason": "Rude."})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.is_deleted
    entry = AuditEntry.objects.get(action="post.delete")
    assert entry.target_label == f"Answer on “{answer.thread.title}”" and entry.reason == "Rude."
    run_pending()
    assert [(m.to, m.subject) for m in mail.outbox] == [([dave.email], "A moderator hid your answer")]


def test_suspension_blocks_posting_voting_and_reporting_with_a_clear_message(
    carol_client, carol, spammer, spam_thread, thread, answer
):
    response = carol_client.post(
        f"/moderation/people/{spammer.pk}/suspend/",
        {
            "suspend-days": "7",
            "suspend-reason": "Posting adverts.",
            "kind": "thread",
            "object_id": spam_thread.pk,
        },
    )
    assert response["Location"] == f"/moderation/thread/{spam_thread.pk}/"
    spammer.refresh_from_db()
    assert spammer.is_suspended and spammer.suspension_reason == "Posting adverts."
    client = Client()
    client.force_login(spammer)
    page = client.get("/questions/").content.decode()
    assert "Your account is suspended until" in page and "Posting adverts." in page
    response = client.post(f"/questions/{thread.pk}/answer/", {"body": "Buy my watches now!"})
    assert response.status_code == 400
    assert "Your account is suspended until" in response.content.decode()
    assert "you can read, but not answer. Reason: Posting adverts." in response.content.decode()
    assert not thread.posts.filter(author=spammer).exists()
    client.post(f"/questions/answers/{answer.pk}/helpful/")
    answer.refresh_from_db()
    assert answer.helpful_count == 0
    assert client.post(f"/moderation/report/answer/{answer.pk}/", {"reason": "spam"}).status_code == 400
    entry = AuditEntry.objects.get(action="user.suspend")
    assert entry.target_kind == "user" and entry.target_id == spammer.pk and entry.details["days"] == 7
    run_pending()
    [email] = [m for m in mail.outbox if m.to == [spammer.email]]
    assert email.subject == "Your Onefix account is suspended"
    assert spammer.suspended_until.strftime("%-d %B %Y") in email.body and "Posting adverts." in email.body


def test_lifting_a_suspension(carol_client, carol, spammer):
    actions.suspend(spammer, carol, 3, "Adverts.")
    carol_client.post(
        f"/moderation/people/{spammer.pk}/suspend/", {"lift": "1", "lift-reason": "Promised to stop."}
    )
    spammer.refresh_from_db()
    assert not spammer.is_suspended
    assert AuditEntry.objects.filter(action="user.unsuspend", reason="Promised to stop.").exists()


def test_a_ban_ends_the_sessions_and_emails_unless_spam(carol_client, carol, spammer, dave):
    spam_client = Client()
    spam_client.force_login(spammer)
    carol_client.post(
        f"/moderation/people/{spammer.pk}/ban/", {"ban-reason": "Spam robot.", "ban-spam": "on"}
    )
    spammer.refresh_from_db()
    assert not spammer.is_active
    assert spam_client.get("/questions/ask/").wsgi_request.user.is_anonymous  # signed out
    carol_client.post(f"/moderation/people/{dave.pk}/ban/", {"ban-reason": "Threats."})
    run_pending()
    assert [(m.to, m.subject) for m in mail.outbox] == [([dave.email], "Your Onefix account is closed")]
    assert AuditEntry.objects.get(action="user.ban", target_id=spammer.pk).details == {"spam": True}
    assert AuditEntry.objects.get(action="user.ban", target_id=dave.pk).details == {"spam": False}


def test_staff_and_moderators_cannot_be_suspended_or_banned_here(carol_client, bob, carol):
    carol_client.post(f"/moderation/people/{bob.pk}/suspend/", {"suspend-days": "3", "suspend-reason": "x"})
    carol_client.post(f"/moderation/people/{carol.pk}/ban/", {"ban-reason": "x"})
    bob.refresh_from_db()
    carol.refresh_from_db()
    assert not bob.is_suspended and carol.is_active
    assert not AuditEntry.objects.exists()


MODERATOR_POSTS = [
    ("/moderation/thread/{t}/hide/", {"hide-reason": "x"}),
    (
        "/moderation/thread/{t}/redact/",
        {"redact-title": "A clean title here", "redact-body": "Clean text body.", "redact-reason": "x"},
    ),
    ("/moderation/thread/{t}/lock/", {"lock-reason": "x"}),
    ("/moderation/thread/{t}/dismiss/", {"dismiss-reason": "x"}),
    ("/moderation/people/{u}/suspend/", {"suspend-days": "3", "suspend-reason": "x"}),
    ("/moderation/people/{u}/ban/", {"ban-reason": "x"}),
]


@pytest.mark.parametrize(("url", "data"), MODERATOR_POSTS)
@pytest.mark.parametrize("who", ["client", "alice_client", "dave_client", "bob_client"])
def test_only_moderators_may_decide(request, who, url, data, thread, spammer):
    response = request.getfixturevalue(who).post(url.format(t=thread.pk, u=spammer.pk), data)
    assert response.status_code == 403
    thread.refresh_from_db()
    spammer.refresh_from_db()
    assert not thread.is_deleted and not thread.is_locked and spammer.is_active and not spammer.is_suspended
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("url", ["/moderation/", "/moderation/thread/{t}/"])
@pytest.mark.parametrize(
    ("who", "status"), [("client", 403), ("alice_client", 403), ("bob_client", 403), ("carol_client", 200)]
)
def test_the_queue_and_the_review_page_are_for_moderators(request, url, who, status, thread):
    assert request.getfixturevalue(who).get(url.format(t=thread.pk)).status_code == status


def test_a_missing_post_is_404_for_a_moderator(carol_client):
    assert carol_client.get("/moderation/thread/999999/").status_code == 404
    assert carol_client.get("/moderation/comment/1/").status_code == 404
