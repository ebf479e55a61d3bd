"""Emails to followers: a new answer, an official answer, an accepted solution.

Runs in a worker as the outbox handler for NOTIFY_JOB. Never to the person who acted.
Each email is handed to jobs.notices.notify (every customer email goes through it):
recorded once per person per event, and sent by the person's flush a couple of minutes
later with whatever else they were told meanwhile (docs/forum.md, "Emails"). The three
events about one answer share a topic ("post:<id>"): a follower who hears of the new
answer, its being marked official and accepted within the window gets one email, the
latest ("Solved: …").

The kinds a person chooses from (accounts.notifications, registered in forum/apps.py):
ANSWERS ("answer") and SOLUTIONS ("official", "accepted").
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
from forum.models import Follow, Post
from jobs import notices

log = logging.getLogger(__name__)

NOTIFY_JOB = "notify"  # the outbox kind, registered in forum/apps.py
UNSUBSCRIBE_SALT = "forum.unsubscribe"
EVENTS = {"answer", "official", "accepted"}
# The kinds of email a person chooses from (accounts.notifications), by event.
ANSWERS = "answers"
SOLUTIONS = "solutions"
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
