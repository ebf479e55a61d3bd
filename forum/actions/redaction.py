"""A moderator's "edit out personal data": the text changes, and the history forgets.

An ordinary edit keeps the previous text as a Revision, so anything once written stays
readable in the public history, including a phone number or a name someone already
edited out. A redaction replaces the current text with the moderator's version AND the
title and text of every earlier revision of that question or answer with
Revision.REDACTED_TEXT, stamping who redacted them and when. The whole earlier text
goes, not only the passage the moderator changed now: the personal data may survive in
an earlier revision in a form the current text no longer shows (an edit that already
took it out of the post kept it in the history). The search index is rebuilt from the
new text in the same transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts import rules
from forum import hooks, indexing
from forum.actions import auditing
from forum.actions.posts import _check_body
from forum.actions.threads import _check_text
from forum.errors import InvalidAction, NotAllowed
from forum.markdown import mask_personal_data, render_markdown
from forum.models import Post, Revision, Thread

REDACTED = Revision.REDACTED_TEXT


def _check(by, reason: str) -> str:
    if not rules.may_moderate(by):
        raise NotAllowed("Only moderators can edit personal data out of a post.")
    reason = reason.strip()
    if not reason:
        raise InvalidAction("Please give a reason: it is kept in the audit log.")
    return reason


def _scrub(revisions, by, now) -> int:
    """Replace the text of these revisions; return how many there were."""
    return revisions.update(
        title="", body_md=REDACTED, body_html=f"<p>{REDACTED}</p>", redacted_at=now, redacted_by=by
    )


def _marker(by, now, **subject) -> Revision:
    return Revision.objects.create(
        **subject, editor=by, edited_at=now, body_md=REDACTED, body_html=f"<p>{REDACTED}</p>",
        redacted_at=now, redacted_by=by,
    )  # fmt: skip


def redact_thread(thread: Thread, by, title: str, body: str, reason: str) -> Thread:
    """Replace a question's title and text with `title`/`body` (checked and masked like any
    question) and scrub every earlier revision. Preconditions: `by` may moderate; a reason.
    The redaction is written to the audit log with the number of revisions scrubbed."""
    reason = _check(by, reason)
    title, body = _check_text(title, body)
    now = timezone.now()
    with transaction.atomic():
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        scrubbed = _scrub(Revision.objects.filter(thread=current), by, now)
        _marker(by, now, thread=current)
        current.title = title
        current.slug = Thread.make_slug(title)
        current.body_md = body
        current.body_html = render_markdown(body)
        current.edited_at = now
        current.save(update_fields=["title", "slug", "body_md", "body_html", "edited_at"])
        indexing.index_thread(current.pk)
        hooks.thread_written(current, current.tags.names(), current.category.slug)
        auditing.relabel_thread(current)
        auditing.thread_entry(by, auditing.THREAD_REDACT, current, reason, revisions_scrubbed=scrubbed)
    return current


def redact_post(post: Post, by, body: str, reason: str) -> Post:
    """As redact_thread, for an answer's text."""
    reason = _check(by, reason)
    body = mask_personal_data(_check_body(body))
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        current = Post.objects.select_for_update().get(pk=post.pk)
        scrubbed = _scrub(Revision.objects.filter(post=current), by, now)
        _marker(by, now, post=current)
        current.body_md = body
        current.body_html = render_markdown(body)
        current.edited_at = now
        current.save(update_fields=["body_md", "body_html", "edited_at"])
        indexing.index_thread(thread.pk)
        auditing.post_entry(by, auditing.POST_REDACT, current, thread, reason, revisions_scrubbed=scrubbed)
    return current
