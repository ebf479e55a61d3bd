"""Comments can be reported, and moderated from the queue like questions and answers
(moderation.targets.CommentKind): hidden, restored, personal data edited out, each with
a reason in the audit log and an email to the author; trusted reports hide one at once."""

from __future__ import annotations

import pytest
from django.core import mail

from audit.models import AuditEntry
from forum import actions as forum_actions
from forum.models import Comment
from moderation import actions
from moderation.models import Case
from moderation.targets import KINDS
from tests.jobs_helpers import run_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def spam_comment(thread, spammer):
    return forum_actions.add_comment(thread, spammer, "Cheap watches at my shop, best prices!")


def test_reporting_a_comment_from_the_thread_page(dave_client, thread, spam_comment):
    page = dave_client.get(thread.get_absolute_url()).content.decode()
    assert f"/moderation/report/comment/{spam_comment.pk}/" in page
    response = dave_client.post(
        f"/moderation/report/comment/{spam_comment.pk}/", {"reason": "spam", "note": "An ad."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{spam_comment.pk}")
    case = Case.objects.get()
    assert (case.kind, case.object_id, case.open_reports) == ("comment", spam_comment.pk, 1)
    page = dave_client.get(thread.get_absolute_url()).content.decode()
    assert f'data-testid="reported-comment-{spam_comment.pk}"' in page


def test_one_cannot_report_ones_own_comment(spammer, spam_comment):
    from forum.errors import InvalidAction

    with pytest.raises(InvalidAction, match="your own comment"):
        actions.report(spammer, KINDS["comment"].visible(spammer, spam_comment.pk), "spam")


def test_the_queue_shows_it_and_a_moderator_hides_it(
    client, carol_client, carol, dave, spammer, thread, spam_comment
):
    actions.report(dave, KINDS["comment"].visible(dave, spam_comment.pk), "spam")
    queue = carol_client.get("/moderation/").content.decode()
    assert f"Comment on “{thread.title}”" in queue
    case_page = carol_client.get(f"/moderation/comment/{spam_comment.pk}/")
    assert case_page.status_code == 200 and "Review a comment" in case_page.content.decode()
    response = carol_client.post(
        f"/moderation/comment/{spam_comment.pk}/hide/", {"hide-reason": "Advertising."}
    )
    assert response.status_code == 302
    spam_comment.refresh_from_db()
    assert spam_comment.is_deleted and spam_comment.deleted_by == carol
    assert Case.objects.get().decision == "hidden"
    entry = AuditEntry.objects.get(action="comment.delete")
    assert (entry.actor, entry.reason, entry.target_kind) == (carol, "Advertising.", "comment")
    assert "Comment on" in entry.target_label
    run_pending()
    [email] = [m for m in mail.outbox if m.to == [spammer.email]]
    assert email.subject == "A moderator hid your comment"
    # Gone from the page for everyone but the team; the queue is empty again.
    assert f'id="comment-{spam_comment.pk}"' not in client.get(thread.get_absolute_url()).content.decode()
    assert f'id="comment-{spam_comment.pk}"' in carol_client.get(thread.get_absolute_url()).content.decode()
    assert "Nothing waiting" in carol_client.get("/moderation/").content.decode()


def test_restoring_and_redacting_a_comment(carol_client, carol, thread, alice):
    comment = forum_actions.add_comment(thread, alice, "Ring me on my mobile, it is the fastest way.")
    forum_actions.delete_comment(comment, carol, reason="oops")
    carol_client.post(f"/moderation/comment/{comment.pk}/hide/", {"restore": "1", "hide-reason": "Mistake."})
    comment.refresh_from_db()
    assert not comment.is_deleted
    response = carol_client.post(
        f"/moderation/comment/{comment.pk}/redact/",
        {"redact-body": "Ring me, it is the fastest way.", "redact-reason": "A phone number."},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body_md == "Ring me, it is the fastest way." and comment.edited_at is not None
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "comment.delete",
        "comment.restore",
        "comment.redact",
    ]


def test_trusted_reports_hide_a_comment_until_reviewed(trusted, spam_comment, settings, carol):
    target = KINDS["comment"].visible(trusted[0], spam_comment.pk)
    for person in trusted[: settings.MODERATION_AUTO_HIDE_REPORTS]:
        actions.report(person, target, "spam")
    spam_comment.refresh_from_db()
    assert spam_comment.is_deleted and spam_comment.deleted_by is None
    # Dismissing the reports brings it back.
    actions.dismiss(KINDS["comment"].visible(carol, spam_comment.pk), carol, "Not spam.")
    assert not Comment.objects.get(pk=spam_comment.pk).is_deleted


def test_a_customer_cannot_moderate_a_comment(dave_client, spam_comment):
    assert (
        dave_client.post(f"/moderation/comment/{spam_comment.pk}/hide/", {"hide-reason": "x"}).status_code
        == 403
    )
    spam_comment.refresh_from_db()
    assert not spam_comment.is_deleted
