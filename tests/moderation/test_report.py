"""Reporting a question or an answer: who may, once per person, in place with htmx or as
a plain form, and the "Reported" state on the thread page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import actions as account_actions
from forum import actions as forum_actions
from moderation.models import Case, Report

REPORT = "/moderation/report/{kind}/{id}/"


def _report(client, kind, object_id, reason="spam", note="", **headers):
    return client.post(REPORT.format(kind=kind, id=object_id), {"reason": reason, "note": note}, **headers)


def test_a_customer_reports_a_thread_with_a_plain_form(dave_client, dave, thread):
    response = _report(dave_client, "thread", thread.pk, "personal_data", "Her phone number is in the text")
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.note) == (
        dave,
        "personal_data",
        "Her phone number is in the text",
    )
    assert (report.case.kind, report.case.object_id, report.case.open_reports) == ("thread", thread.pk, 1)
    page = dave_client.get(thread.get_absolute_url()).content.decode()
    assert "Reported — thank you" in page  # the message
    assert f'data-testid="reported-thread-{thread.pk}"' in page  # and the tool's state


def test_htmx_gets_the_form_in_place_and_then_the_thanks(dave_client, answer, alice_client):
    form = alice_client.get(REPORT.format(kind="answer", id=answer.pk), HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    html = form.content.decode()
    assert "<html" not in html and 'name="reason"' in html and "hx-post" in html
    done = _report(alice_client, "answer", answer.pk, "rude", HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    assert "Reported — thank you" in done.content.decode()
    assert Case.objects.get(kind="answer", object_id=answer.pk).open_reports == 1


def test_one_report_per_person_per_post(dave_client, thread):
    _report(dave_client, "thread", thread.pk, "spam")
    _report(dave_client, "thread", thread.pk, "rude")
    assert Report.objects.count() == 1
    assert Case.objects.get().open_reports == 1


def test_a_report_needs_a_reason_and_keeps_the_note(dave_client, thread):
    response = _report(dave_client, "thread", thread.pk, reason="", note="keep me")
    assert response.status_code == 400
    assert "Please choose what is wrong with it." in response.content.decode()
    assert "keep me" in response.content.decode()
    assert not Report.objects.exists()


def test_a_visitor_is_asked_to_sign_in(client, thread):
    response = _report(client, "thread", thread.pk)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Report.objects.exists()


def test_own_posts_and_unverified_or_suspended_people_are_refused(
    alice_client, unverified_client, dave, dave_client, thread, carol
):
    response = _report(alice_client, "thread", thread.pk)  # alice asked it
    assert "This is your own question" in response.content.decode()
    response = _report(unverified_client, "thread", thread.pk)
    assert "verify your email address before you report posts" in response.content.decode()
    account_actions.suspend(dave, timezone.now() + timedelta(days=3), "Spam links")
    response = _report(dave_client, "thread", thread.pk)
    assert "Your account is suspended until" in response.content.decode()
    assert not Report.objects.exists()


def test_a_hidden_post_cannot_be_reported_and_is_404_for_customers(dave_client, thread, carol):
    forum_actions.delete_thread(thread, carol)
    assert _report(dave_client, "thread", thread.pk).status_code == 404
    assert dave_client.get(REPORT.format(kind="thread", id=thread.pk)).status_code == 404


def test_an_unknown_kind_is_404(dave_client, thread):
    assert dave_client.get(REPORT.format(kind="comment", id=thread.pk)).status_code == 404


@pytest.mark.parametrize(
    ("who", "sees"), [("client", "Report"), ("dave_client", "Report"), ("carol_client", "Moderate")]
)
def test_the_thread_page_offers_report_or_moderate(request, who, sees, thread, answer):
    html = request.getfixturevalue(who).get(thread.get_absolute_url()).content.decode()
    assert (
        f'href="/moderation/report/thread/{thread.pk}/"' in html if sees == "Report" else "Moderate" in html
    )
    if sees == "Moderate":
        assert f'href="/moderation/answer/{answer.pk}/"' in html
        assert "/moderation/report/" not in html


def test_the_author_sees_no_report_tool_on_their_own_post(alice_client, thread):
    html = alice_client.get(thread.get_absolute_url()).content.decode()
    assert f"/moderation/report/thread/{thread.pk}/" not in html


def test_each_answer_and_comment_has_its_own_report_tool(client, dave_client, thread, answer, carol):
    """The tool is rendered once a request and re-keyed per answer and comment (issue 14,
    item 4): every one still points at its own object, the one reported shows so."""
    second = forum_actions.add_answer(thread, carol, "Another way: reinstall the sync add-on.")
    comment = forum_actions.add_comment(thread, carol, "Same on my phone.", post=answer)
    html = client.get(thread.get_absolute_url()).content.decode()
    for kind, pk in (("answer", answer.pk), ("answer", second.pk), ("comment", comment.pk)):
        assert (
            f'id="report-{kind}-{pk}"><a class="tool-link report-link" href="/moderation/report/{kind}/{pk}/" hx-get="/moderation/report/{kind}/{pk}/"'
            in html
        )
    dave_client.post(f"/moderation/report/answer/{second.pk}/", {"reason": "spam"})
    html = dave_client.get(thread.get_absolute_url()).content.decode()
    assert f'data-testid="reported-answer-{second.pk}"' in html
    assert f'href="/moderation/report/comment/{comment.pk}/"' in html
