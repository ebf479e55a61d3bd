"""Email the followers of an article's source threads when it is published.

Runs in a worker as the outbox handler for kb.actions.PUBLISHED_JOB. One email per
person per article, never to the publisher: jobs.notices.notify records (person,
"article:<id>") once, so a retried job, a second linked thread or a republish skips
whoever was told, and the person's flush sends it (with whatever else they were told
within the coalescing window). The email quotes the article's summary, else its first
paragraph: never the source answer, whose opening greets its own asker. The
unsubscribe link is the forum's (it stops emails about the thread the person follows);
the kind a person chooses for these is ARTICLES (accounts.notifications).

`publish_audience` answers the publish confirmation's question, "who will be emailed?",
from the same recipients() the job uses, so the number shown is the number sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from accounts import notifications as email_settings
from accounts.models import User
from duplicates.fixes import article_summary
from forum.models import Follow, Thread
from forum.notifications import thread_email, unsubscribe_url
from jobs import notices
from jobs.models import Notice
from kb.models import Article

log = logging.getLogger(__name__)

ARTICLES = "articles"  # the kind of email (accounts.notifications)


def register_email_kinds() -> None:
    """kb/apps.py: the kind on the email settings page."""
    email_settings.register_kind(
        ARTICLES,
        "Help articles from your questions",
        "Staff turn the fix for a question you follow into a help article.",
    )


def event_key(article_id: int) -> str:
    """send_once's key: one email per person per article, whatever the number of runs."""
    return f"article:{article_id}"


def _source_threads(article: Article, thread_ids: list[int] | None) -> dict[int, Thread]:
    sources = article.sources.filter(thread__is_deleted=False)
    if thread_ids is not None:
        sources = sources.filter(thread_id__in=thread_ids)
    return {s.thread_id: s.thread for s in sources.select_related("thread")}


def _followers(threads: dict[int, Thread], actor_id: int | None) -> list[tuple[User, Thread]]:
    follows = Follow.objects.filter(thread_id__in=threads).order_by("thread_id", "id")
    first_thread: dict[int, int] = {}
    for user_id, thread_id in follows.values_list("user_id", "thread_id"):
        first_thread.setdefault(user_id, thread_id)
    first_thread.pop(actor_id, None)
    people = User.objects.filter(pk__in=first_thread, is_active=True).order_by("pk")
    return [(person, threads[first_thread[person.pk]]) for person in people]


def recipients(
    article: Article, thread_ids: list[int] | None, actor_id: int | None
) -> list[tuple[User, Thread]]:
    """Each follower of the (given, else all) source threads once, with the first thread
    of the article they follow; without the actor and inactive accounts."""
    return _followers(_source_threads(article, thread_ids), actor_id)


@dataclass
class Audience:
    """Who hears about an article if it is published now (the publish confirmation)."""

    people: list[User]  # emailed
    threads: list[Thread]  # the questions it resolves (not deleted), whose followers those are
    already_told: int  # followers emailed about this article before (a republish): not again


def publish_audience(article: Article, actor_id: int | None) -> Audience:
    """Whom handle_published would email if `actor_id` published the article now: the same
    recipients() with the same arguments, less the people send_once would skip because
    they were told about this article already. Four queries, whatever the numbers."""
    threads = _source_threads(article, None)
    people = [person for person, _ in _followers(threads, actor_id)]
    told = set(
        Notice.objects.filter(
            event_key=event_key(article.pk), user_id__in=[p.pk for p in people]
        ).values_list("user_id", flat=True)
    )
    return Audience(
        people=[p for p in people if p.pk not in told],
        threads=list(threads.values()),
        already_told=len(told),
    )


def build_email(article: Article, thread: Thread, person: User) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(person.pk, thread.pk)
    context = {
        "person": person,
        "article": article,
        "thread": thread,
        "link": settings.SITE_URL + article.get_absolute_url(),
        "thread_link": settings.SITE_URL + thread.get_absolute_url(),
        "unsubscribe_url": unsubscribe,
        "summary": article_summary(article),
    }
    return thread_email("kb_published", person, unsubscribe, context)


def handle_published(payload: dict) -> int:
    """Outbox handler. Returns how many people this run told."""
    article = Article.objects.filter(pk=payload.get("article_id")).first()
    if article is None or article.status != Article.Status.PUBLISHED:
        return 0  # gone or unpublished since the job was queued: nothing to announce
    key = event_key(article.pk)
    link = settings.SITE_URL + article.get_absolute_url()
    summary = article_summary(article)
    told = 0
    for person, thread in recipients(article, payload.get("thread_ids"), payload.get("actor_id")):
        told += notices.notify(
            person.pk,
            ARTICLES,
            key,
            lambda p=person, t=thread: build_email(article, t, p),
            summary=summary,
            link=link,
            topic=key,
        )
    return told
