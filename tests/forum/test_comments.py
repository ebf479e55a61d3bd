"""Comments under the question and under answers (issue 12, item 2; docs/forum.md,
"Comments"): never answers, short inline Markdown, refused where answers are, deleted by
their author or a moderator, listed on the thread page, emailed to the few they concern."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEntry
from forum import actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import COMMENT_MAX, Comment, Thread
from forum.notifications import handle_notify
from jobs.models import PendingJob
from tests.conftest import make_user
from tests.jobs_helpers import run_pending


def _comment_url(thread):
    return f"/questions/{thread.pk}/comment/"


# --- never an answer ------------------------------------------------------------------


def test_a_comment_never_counts_as_an_answer(client, thread, dave, bob):
    actions.add_comment(thread, dave, "Same here, since 4.2.")
    actions.add_comment(thread, bob, "Which version are you on?")
    thread.refresh_from_db()
    assert thread.answer_count == 0
    assert thread.status == Thread.Status.OPEN  # staff asked for details: not waiting, not answered
    assert thread in Thread.objects.visible().unanswered()
    page = client.get("/questions/?tab=unanswered").content.decode()
    assert thread.title in page
    assert "No answers yet" in client.get(thread.get_absolute_url()).content.decode()


def test_a_comment_under_an_answer_leaves_the_status_as_it_was(thread, answer, alice):
    actions.add_comment(thread, alice, "That didn't work for me.", post=answer)
    thread.refresh_from_db()
    assert (thread.answer_count, thread.status) == (1, Thread.Status.WAITING)


def test_a_comment_is_not_in_the_search_index(thread, dave):
    """Comments are conversation, not fixes: the thread's search document holds the
    question and its answers only (docs/forum.md, "Comments")."""
    from search.models import SearchEntry

    actions.add_comment(thread, dave, "Zanzibarquux happens to me too.")
    entry = SearchEntry.objects.get(kind="thread", object_id=thread.pk)
    assert "Zanzibarquux" not in entry.body


# --- who may comment where ------------------------------------------------------------


def test_a_locked_or_deleted_thread_refuses_comments(thread, alice, bob, carol):
    actions.lock_thread(thread, bob)
    with pytest.raises(InvalidAction, match="locked"):
        actions.add_comment(thread, alice, "Still broken here.")
    actions.unlock_thread(thread, bob)
    actions.delete_thread(thread, carol)
    with pytest.raises(InvalidAction, match="deleted"):
        actions.add_comment(thread, bob, "Which version are you on?")
    assert not Comment.objects.exists()


def test_a_deleted_answer_takes_no_comments(thread, answer, alice, carol):
    actions.delete_post(answer, carol)
    with pytest.raises(InvalidAction, match="answer was deleted"):
        actions.add_comment(thread, alice, "Did this help anyone?", post=answer)


def test_people_who_may_not_post_may_not_comment(thread, unverified):
    with pytest.raises(NotAllowed, match="verify your email address before you comment"):
        actions.add_comment(thread, unverified, "Same here.")


def test_an_answer_of_another_question_is_refused(thread, answer, alice, category):
    other = actions.create_thread(alice, "Printing cuts the last page", "Every time I print.", category)
    with pytest.raises(InvalidAction, match="another question"):
        actions.add_comment(other, alice, "Hmm.", post=answer)


def test_the_form_refuses_a_locked_thread_with_the_text_kept(alice_client, thread, bob):
    actions.lock_thread(thread, bob)
    response = alice_client.post(_comment_url(thread), {"comment": "It still happens on 4.2.1."})
    assert response.status_code == 400
    assert not Comment.objects.exists()


# --- length and Markdown ----------------------------------------------------------------


def test_a_comment_too_long_is_refused_with_a_clear_message_and_the_text_kept(alice_client, thread):
    text = "It still happens. " * 40  # 720 characters
    response = alice_client.post(_comment_url(thread), {"comment": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Your comment is {len(text.strip()):,} characters long; the limit is {COMMENT_MAX}" in html
    assert "your text is still here" in html
    assert text.strip()[:200] in html  # back in its box
    assert re.search(r'<details class="comment-add" open>', html)  # the box is open
    assert not Comment.objects.exists()


def test_the_action_refuses_a_long_comment_too(thread, alice):
    with pytest.raises(InvalidAction, match=f"at most {COMMENT_MAX} characters; yours has 601"):
        actions.add_comment(thread, alice, "x" * 601)
    assert actions.add_comment(thread, alice, "x" * 600).body_md == "x" * 600


def test_a_comment_is_inline_markdown_only(thread, alice):
    comment = actions.add_comment(
        thread,
        alice,
        "# Not a heading\n![screenshot](https://example.com/s.png) see [the guide](https://example.com/g) "
        "and `sync.log`, *really*",
    )
    html = comment.body_html
    assert "<h1" not in html and "<img" not in html
    assert "# Not a heading" in html
    assert '<a href="https://example.com/s.png" rel="nofollow ugc noopener">screenshot</a>' in html
    assert '<a href="https://example.com/g" rel="nofollow ugc noopener">the guide</a>' in html
    assert "<code>sync.log</code>" in html and "<em>really</em>" in html


def test_lists_quotes_and_tables_stay_text(thread, alice):
    html = actions.add_comment(thread, alice, "- one\n> quoted\n| a | b |\n|---|---|").body_html
    assert not re.search(r"<(ul|li|blockquote|table)", html)


def test_personal_data_is_masked_in_comments(thread, alice):
    comment = actions.add_comment(thread, alice, "Write to me at alice.private@example.com please")
    assert "alice.private" not in comment.body_md and "alice.private" not in comment.body_html


def test_the_comment_form_shows_the_comment_on_the_page(alice_client, thread):
    response = alice_client.post(_comment_url(thread), {"comment": "It is **4.2.1** on Windows 11."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}#comment-{comment.pk}"
    html = alice_client.get(thread.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert "It is <strong>4.2.1</strong> on Windows 11." in html
    assert 'class="badge badge-asker"' in html


def test_a_comment_under_an_answer_is_shown_under_that_answer(dave_client, thread, answer, bob):
    staff_answer = actions.add_answer(thread, bob, "Try the 4.2.1 update.")
    dave_client.post(_comment_url(thread), {"comment": "Did that, still broken.", "post": staff_answer.pk})
    comment = Comment.objects.get()
    assert comment.post == staff_answer
    html = dave_client.get(thread.get_absolute_url()).content.decode()
    block = html[html.index(f'id="post-{staff_answer.pk}"') :]
    assert block.index(f'id="comment-{comment.pk}"') < block.index("</article>")


# --- the thread page ----------------------------------------------------------------------


def test_the_first_five_show_and_the_rest_are_behind_show_more(client, thread, dave):
    base = timezone.now() - timedelta(hours=1)
    made = [
        actions.add_comment(thread, dave, f"Comment number {i} here", created_at=base + timedelta(minutes=i))
        for i in range(8)
    ]
    html = client.get(thread.get_absolute_url()).content.decode()
    positions = [html.index(f'id="comment-{c.pk}"') for c in made]
    assert positions == sorted(positions)  # oldest first
    more = html.index('<details class="comments-more">')
    assert all(p < more for p in positions[:5]) and all(p > more for p in positions[5:])
    assert "Show 3 more comments" in html


def test_deleted_comments_are_hidden_but_for_the_team(client, alice_client, bob_client, thread, dave, carol):
    comment = actions.add_comment(thread, dave, "Buy cheap watches here")
    actions.delete_comment(comment, carol)
    for reader in (client, alice_client):
        assert f'id="comment-{comment.pk}"' not in reader.get(thread.get_absolute_url()).content.decode()
    html = bob_client.get(thread.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert "only staff and moderators see this comment" in html


def test_comments_under_a_deleted_answer_go_with_it(client, thread, answer, alice, carol):
    comment = actions.add_comment(thread, alice, "Thanks, trying it now.", post=answer)
    actions.delete_post(answer, carol)
    assert f'id="comment-{comment.pk}"' not in client.get(thread.get_absolute_url()).content.decode()
    assert client.get(f"/questions/comments/{comment.pk}/edit/").status_code == 404


def test_no_add_a_comment_on_a_locked_thread(client, thread, bob):
    assert "Add a comment" in client.get(thread.get_absolute_url()).content.decode()
    actions.lock_thread(thread, bob)
    assert "Add a comment" not in client.get(thread.get_absolute_url()).content.decode()


def test_edit_and_delete_links_are_for_those_who_may(alice_client, dave_client, carol_client, thread, dave):
    comment = actions.add_comment(thread, dave, "Same here on Android.")
    edit, delete = f"/questions/comments/{comment.pk}/edit/", f"/questions/comments/{comment.pk}/delete/"
    own = dave_client.get(thread.get_absolute_url()).content.decode()
    assert edit in own and delete in own
    other = alice_client.get(thread.get_absolute_url()).content.decode()
    assert edit not in other and delete not in other
    moderator = carol_client.get(thread.get_absolute_url()).content.decode()
    assert delete in moderator


def test_a_visitor_signs_in_first_and_finds_the_comment_kept(client, thread, answer, alice):
    response = client.post(_comment_url(thread), {"comment": "Which build exactly?", "post": answer.pk})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Comment.objects.exists()
    client.force_login(alice)
    html = client.get(thread.get_absolute_url()).content.decode()
    form = html[html.index(f'id="comment-{answer.pk}-comment"') - 300 :]
    assert "Which build exactly?" in form[:800]
    assert '<details class="comment-add" open>' in html
    # the answer box did not get the comment's text
    answer_box = html[html.index('id="id_body"') :]
    assert "Which build exactly?" not in answer_box[: answer_box.index("</textarea>")]


# --- edit and delete -------------------------------------------------------------------------


def test_the_author_edits_within_the_window_and_not_after(thread, dave):
    comment = actions.add_comment(thread, dave, "Same here on Android.")
    edited = actions.edit_comment(comment, dave, "Same here on Android 14.")
    assert edited.body_md == "Same here on Android 14." and edited.edited_at is not None
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    with pytest.raises(NotAllowed, match="can be edited for 10 minutes"):
        actions.edit_comment(comment, dave, "Same here on Android 14 and iOS.")


def test_others_may_not_edit_and_a_team_edit_is_audited(thread, dave, alice, bob):
    comment = actions.add_comment(thread, dave, "Call me on 555 0100 1234 please")
    with pytest.raises(NotAllowed):
        actions.edit_comment(comment, alice, "Nope")
    actions.edit_comment(comment, bob, "Please call me.")
    entry = AuditEntry.objects.get(action="comment.edit")
    assert (entry.actor, entry.target_kind, entry.target_id) == (bob, "comment", comment.pk)


def test_the_author_and_moderators_delete_others_may_not(thread, dave, alice, bob, carol):
    mine = actions.add_comment(thread, dave, "Same here.")
    with pytest.raises(NotAllowed):
        actions.delete_comment(mine, alice)
    with pytest.raises(NotAllowed):
        actions.delete_comment(mine, bob)  # staff do not delete, as with answers
    assert actions.delete_comment(mine, dave) is True
    assert not AuditEntry.objects.filter(action="comment.delete").exists()  # one's own: no entry
    theirs = actions.add_comment(thread, alice, "Spam spam spam")
    assert actions.delete_comment(theirs, carol, reason="Spam") is True
    entry = AuditEntry.objects.get(action="comment.delete")
    assert (entry.actor, entry.target_id, entry.reason) == (carol, theirs.pk, "Spam")
    theirs.refresh_from_db()
    assert theirs.is_deleted and theirs.deleted_by == carol
    assert actions.restore_comment(theirs, carol) is True
    with pytest.raises(NotAllowed):
        actions.restore_comment(mine, dave)


def test_deleting_through_the_pages(dave_client, alice_client, thread, dave):
    comment = actions.add_comment(thread, dave, "Same here.")
    url = f"/questions/comments/{comment.pk}/delete/"
    assert alice_client.get(url).status_code == 403
    assert alice_client.post(url).status_code == 403
    assert dave_client.get(url).status_code == 200
    response = dave_client.post(url)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_deleted


def test_merging_moves_the_comments_under_answers(thread, answer, alice, bob, category):
    dup = actions.create_thread(alice, "Sync stopped after the update", "Nothing syncs now.", category)
    moved_answer = actions.add_answer(dup, bob, "Update to 4.2.1.")
    under = actions.add_comment(dup, alice, "Where do I get it?", post=moved_answer)
    on_question = actions.add_comment(dup, bob, "Which version are you on?")
    actions.merge_thread(dup, thread, bob)
    under.refresh_from_db()
    on_question.refresh_from_db()
    assert under.thread_id == thread.pk and under.post_id == moved_answer.pk
    assert on_question.thread_id == dup.pk  # stays with the hidden stub


# --- emails ---------------------------------------------------------------------------------------


def _emails():
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def test_the_asker_is_emailed_once_and_the_commenter_never(thread, alice, bob, dave):
    actions.me_too(dave, thread)  # a follower: not emailed about comments
    comment = actions.add_comment(thread, bob, "Which version are you on?")
    run_pending()
    assert _emails() == [("alice@example.com", f"New comment on your question: {thread.title}")]
    body = mail.outbox[0].body
    assert "Bob (Staff) commented on your question" in body and "Which version are you on?" in body
    assert f"#comment-{comment.pk}" in body
    # the job again, and the handler again: nobody twice
    job = PendingJob.objects.get(kind="notify", payload__comment_id=comment.pk)
    PendingJob.objects.filter(pk=job.pk).update(sent_at=None)
    run_pending()
    assert handle_notify({"event": "comment", "comment_id": comment.pk, "actor_id": bob.pk}) == 0
    assert len(mail.outbox) == 1


def test_the_answers_author_is_emailed_and_the_asker_is_not(thread, answer, alice, dave):
    run_pending()
    mail.outbox.clear()  # "New answer" to alice
    actions.add_comment(thread, alice, "That didn't work for me.", post=answer)
    run_pending()
    assert _emails() == [("dave@example.com", f"New comment on your answer: {thread.title}")]


def test_whoever_asked_for_details_hears_the_reply(thread, alice, bob):
    actions.add_comment(thread, bob, "Which version are you on?")
    run_pending()
    mail.outbox.clear()
    actions.add_comment(thread, alice, "4.2.1 on Windows 11.")
    run_pending()
    assert _emails() == [("bob@example.com", f"New reply to your comment: {thread.title}")]


def test_a_person_who_stopped_following_is_not_emailed(thread, alice, bob):
    actions.unfollow(alice, thread)
    actions.add_comment(thread, bob, "Which version are you on?")
    run_pending()
    assert mail.outbox == []


def test_a_comment_deleted_before_the_job_runs_emails_nobody(thread, alice, bob, carol):
    comment = actions.add_comment(thread, bob, "Which version are you on?")
    actions.delete_comment(comment, carol)
    run_pending()
    assert mail.outbox == []


def test_staff_follow_what_they_comment_on(thread, bob):
    actions.add_comment(thread, bob, "Which version are you on?")
    assert thread.follows.filter(user=bob).exists()
    thread.refresh_from_db()
    assert thread.first_staff_response_at is not None


# --- spam ----------------------------------------------------------------------------------------


def test_the_same_long_comment_twice_is_refused(thread, category, alice):
    other = actions.create_thread(alice, "Printing cuts the last page", "Every time I print.", category)
    erin = make_user("erin@example.com", "Erin")
    text = "Visit my great site for the fix to everything"
    actions.add_comment(thread, erin, text)
    with pytest.raises(InvalidAction, match="same text"):
        actions.add_comment(other, erin, text)


def test_the_spam_hook_is_told_it_is_a_comment(thread, dave, settings, monkeypatch):
    seen = []
    monkeypatch.setattr("forum.spam._hook", lambda: lambda kind, author, text: seen.append(kind) or False)
    actions.add_comment(thread, dave, "Same here.")
    assert seen == ["comment"]
