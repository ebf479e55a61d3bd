"""Email the followers of an article's source threads when it is published.

Runs in a worker as the outbox handler for kb.actions.PUBLISHED_JOB. One email per
person per article, never to the publisher: jobs.mail.send_once records (person,
"article:<id>") before sending, so a retried job, a second linked thread or a
republish skips whoever was told. The unsubscribe link is the forum's
(it stops emails about the thread the person follows).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from accounts.models import User
from forum.models import Follow, Thread
from forum.notifications import thread_email, unsubscribe_url
from jobs.mail import send_once
from kb.models import Article

log = logging.getLogger(__name__)


def recipients(
    article: Article, thread_ids: list[int] | None, actor_id: int | None
) -> list[tuple[User, Thread]]:
    """Each follower of the (given, else all) source threads once, with the first thread
    of the article they follow; without the actor and inactive accounts."""
    sources = article.sources.filter(thread__is_deleted=False)
    if thread_ids is not None:
        sources = sources.filter(thread_id__in=thread_ids)
    threads = {s.thread_id: s.thread for s in sources.select_related("thread")}
    follows = Follow.objects.filter(thread_id__in=threads).order_by("thread_id", "id")
    first_thread: dict[int, int] = {}
    for user_id, thread_id in follows.values_list("user_id", "thread_id"):
        first_thread.setdefault(user_id, thread_id)
    first_thread.pop(actor_id, None)
    people = User.objects.filter(pk__in=first_thread, is_active=True).order_by("pk")
    return [(person, threads[first_thread[person.pk]]) for person in people]


def build_email(article: Article, thread: Thread, person: User) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(person.pk, thread.pk)
    context = {
        "person": person,
        "article": article,
        "thread": thread,
        "link": settings.SITE_URL + article.get_absolute_url(),
        "thread_link": settings.SITE_URL + thread.get_absolute_url(),
        "unsubscribe_url": unsubscribe,
    }
    return thread_email("kb_published", person, unsubscribe, context)


def handle_published(payload: dict) -> int:
    """Outbox handler. Returns how many emails this run sent."""
    article = Article.objects.filter(pk=payload.get("article_id")).first()
    if article is None or article.status != Article.Status.PUBLISHED:
        return 0  # gone or unpublished since the job was queued: nothing to announce
    event_key = f"article:{article.pk}"
    sent = 0
    for person, thread in recipients(article, payload.get("thread_ids"), payload.get("actor_id")):
        sent += send_once(person.pk, event_key, lambda p=person, t=thread: build_email(article, t, p))
    return sent
