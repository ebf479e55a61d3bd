"""Emails to followers: a new answer, an official answer, an accepted solution; and
about a comment, to the few it concerns (below, "Comments").

Runs in a worker as the outbox handler for NOTIFY_JOB. Never to the person who acted.
Each email is handed to jobs.notices.notify (every customer email goes through it):
recorded once per person per event, and sent by the person's flush a couple of minutes
later with whatever else they were told meanwhile (docs/forum.md, "Emails"). The three
events about one answer share a topic ("post:<id>"): a follower who hears of the new
answer, its being marked official and accepted within the window gets one email, the
latest ("Solved: …").

The kinds a person chooses from (accounts.notifications, registered in forum/apps.py):
ANSWERS ("answer"), SOLUTIONS ("official", "accepted") and COMMENTS ("comment").
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import notifications as email_settings
from accounts.models import User
from forum.conversation import strip_conversation
from forum.markdown import plain_text, render_markdown
from forum.models import Comment, Follow, Post
from jobs import notices

log = logging.getLogger(__name__)

NOTIFY_JOB = "notify"  # the outbox kind, registered in forum/apps.py
UNSUBSCRIBE_SALT = "forum.unsubscribe"
EVENTS = {"answer", "official", "accepted"}
# The kinds of email a person chooses from (accounts.notifications), by event.
ANSWERS = "answers"
SOLUTIONS = "solutions"
COMMENTS = "comments"
KIND_OF_EVENT = {"answer": ANSWERS, "official": SOLUTIONS, "accepted": SOLUTIONS}


def register_email_kinds() -> None:
    """forum/apps.py: the kinds on the email settings page."""
    email_settings.register_kind(
        ANSWERS, "New answers", "Someone answers a question you asked, follow or said “me too” to."
    )
    email_settings.register_kind(
        SOLUTIONS,
        "Official answers and solutions",
        "Staff mark an official answer, or the asker accepts a solution, on a question you follow; "
        "also when your answer is accepted.",
    )
    email_settings.register_kind(
        COMMENTS,
        "Comments",
        "Someone comments on your question or answer, or replies where you commented.",
    )


def answer_excerpt(post: Post, limit: int = 400) -> str:
    """The answer as one line of text, without the greeting to its asker and the sign-off
    (forum.conversation): an email quotes it to people other than the one it greets."""
    stripped = strip_conversation(post.body_md)
    if stripped == post.body_md:
        return plain_text(post.body_html, limit)
    return plain_text(render_markdown(stripped), limit)


def unsubscribe_token(user_id: int, thread_id: int) -> str:
    """A signed, non-expiring token: an old email's link still works, and nobody
    can forge one for someone else's follow."""
    return signing.dumps({"u": user_id, "t": thread_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["u"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(user_id: int, thread_id: int) -> str:
    return settings.SITE_URL + reverse("forum:unsubscribe", args=[unsubscribe_token(user_id, thread_id)])


def recipients(event: str, post: Post, actor_id: int | None, skip=()) -> list[User]:
    """Followers of the thread (and, for an accepted solution, the answer's author),
    each once, without the actor, without inactive accounts, and without `skip`: the
    people an app above tells about this answer itself (forum.hooks.post_written)."""
    ids = set(Follow.objects.filter(thread_id=post.thread_id).values_list("user_id", flat=True))
    if event == "accepted":
        ids.add(post.author_id)
    ids.discard(actor_id)
    ids.difference_update(skip)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def build_email(event: str, post: Post, actor: User | None, person: User) -> EmailMultiAlternatives:
    thread = post.thread
    link = settings.SITE_URL + post.get_absolute_url()
    unsubscribe = unsubscribe_url(person.pk, thread.pk)
    context = {
        "event": event,
        "person": person,
        "actor": actor,
        "thread": thread,
        "post": post,
        "excerpt": answer_excerpt(post),
        "link": link,
        "unsubscribe_url": unsubscribe,
        "SITE_URL": settings.SITE_URL,
        "is_answer_author": person.pk == post.author_id,
        # The official answer asks the asker "Did this fix it?" (docs/forum.md, "Statuses").
        "asks_did_it_fix": event == "official" and person.pk == thread.author_id,
        "did_it_fix_link": f"{settings.SITE_URL}{thread.get_absolute_url()}#did-it-fix",
        "auto_solve_days": settings.FORUM_AUTO_SOLVE_DAYS,
        "status_label": thread.Status(thread.status).label,
    }
    return thread_email("forum_notification", person, unsubscribe, context)


def thread_email(
    template: str, person, unsubscribe: str, context: dict, *, settings_links: bool = True
) -> EmailMultiAlternatives:
    """An email about a thread the person follows, from emails/<template>-subject.txt,
    -body.txt and -body.html: plain text + HTML, with one-click unsubscribe headers. The
    subject is whole (jobs.notices.whole_subject: cut only past 200 characters, at a word).
    `settings_links`: the footer links to the email settings and "stop all" (customer
    emails; the desk's have their own switches)."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    if settings_links:
        context.update(email_settings.email_links(person.pk))
    subject = notices.whole_subject(render_to_string(f"emails/{template}-subject.txt", context))
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}-body.txt", context),
        to=[person.email],
        headers={
            # RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"emails/{template}-body.html", context), "text/html")
    return message


def handle_notify(payload: dict) -> int:
    """Outbox handler. Returns how many people this run told (their emails follow)."""
    event = payload.get("event")
    if event == COMMENT_EVENT:
        return handle_comment(payload)
    if event not in EVENTS:
        log.warning("notify: unknown event %r", event)
        return 0
    post = Post.objects.select_related("thread", "author").filter(pk=payload.get("post_id")).first()
    if post is None or post.is_deleted or post.thread.is_deleted:
        return 0  # gone since the job was queued: nothing to tell anyone
    actor = User.objects.filter(pk=payload.get("actor_id")).first()
    event_key = f"{event}:{post.pk}"
    link = settings.SITE_URL + post.get_absolute_url()
    summary = answer_excerpt(post, 200)
    told = 0
    for person in recipients(event, post, payload.get("actor_id"), payload.get("skip") or ()):
        told += notices.notify(
            person.pk,
            KIND_OF_EVENT[event],
            event_key,
            lambda p=person: build_email(event, post, actor, p),
            summary=summary,
            link=link,
            topic=f"post:{post.pk}",
        )
    return told


# --- Comments ------------------------------------------------------------------------
#
# A comment is a turn in a conversation ("which version are you on?" / "4.2.1"), not news
# for everyone: followers are not emailed about each one (a busy question would send
# ten emails for ten "same here"). Told, once per comment (jobs.notices, "comment:<id>",
# kind COMMENTS; coalesced like the rest, so a quick back-and-forth is one email):
# the author of what it is under (the asker for the question, the answer's author for an
# answer) and the people who commented there before it, so whoever asked for details
# hears the reply. Never the commenter. Someone who stopped following the question
# ("Stop emails about this question", the link in these emails too) is left out, except
# an answer's author about a comment on their own answer, as with "your answer was
# accepted". The team follow what they comment on (forum.actions.add_comment).

COMMENT_EVENT = "comment"


def comment_recipients(comment: Comment) -> list[User]:
    """Precondition: comment loaded with its thread and post."""
    under = comment.post.author_id if comment.post_id else comment.thread.author_id
    earlier = Comment.objects.filter(
        thread_id=comment.thread_id, post_id=comment.post_id, pk__lt=comment.pk, is_deleted=False
    ).values_list("author_id", flat=True)
    ids = {under, *earlier}
    ids.discard(comment.author_id)
    following = set(
        Follow.objects.filter(thread_id=comment.thread_id, user_id__in=ids).values_list("user_id", flat=True)
    )
    ids = {i for i in ids if i in following or (comment.post_id and i == under)}
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def build_comment_email(comment: Comment, person: User) -> EmailMultiAlternatives:
    thread = comment.thread
    unsubscribe = unsubscribe_url(person.pk, thread.pk)
    if comment.post_id and person.pk == comment.post.author_id:
        relation = "answer"  # a comment on their answer
    elif not comment.post_id and person.pk == thread.author_id:
        relation = "question"  # a comment on their question
    else:
        relation = "conversation"  # they commented there before
    context = {
        "person": person,
        "comment": comment,
        "commenter": comment.author,
        "thread": thread,
        "relation": relation,
        "excerpt": plain_text(comment.body_html, 400),
        "link": settings.SITE_URL + comment.get_absolute_url(),
        "unsubscribe_url": unsubscribe,
        "SITE_URL": settings.SITE_URL,
    }
    return thread_email("forum_comment", person, unsubscribe, context)


def handle_comment(payload: dict) -> int:
    """The NOTIFY_JOB's "comment" event. Returns how many people this run told."""
    comment = (
        Comment.objects.select_related("thread", "post", "author")
        .filter(pk=payload.get("comment_id"))
        .first()
    )
    if comment is None or comment.is_deleted or comment.thread.is_deleted:
        return 0  # gone since the job was queued: nothing to tell anyone
    if comment.post_id and comment.post.is_deleted:
        return 0
    link = settings.SITE_URL + comment.get_absolute_url()
    summary = plain_text(comment.body_html, 200)
    told = 0
    for person in comment_recipients(comment):
        told += notices.notify(
            person.pk,
            COMMENTS,
            f"comment:{comment.pk}",
            lambda p=person: build_comment_email(comment, p),
            summary=summary,
            link=link,
        )
    return told
