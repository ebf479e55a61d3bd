"""Following a topic: a tag, a product area or a saved search (docs/forum.md,
"Following a topic").

    create_thread (one transaction) ── record_new_thread ─► MATCH_JOB (outbox, on commit)
    worker: handle_match ── the thread, still visible?
                         ── who follows its area, one of its tags, or a search it matches
                            (search.query.matching_queries: the search page's own match)
                         ── each person once, never its asker ─► jobs.notices.notify(kind TOPICS,
                            event "topic:<thread>") ─► now (coalesced) or the daily digest,
                            as the person's email settings say

- **Once per person per question**, however many of their topics it matches: the
  notice's event key is the thread's (Notice is unique per person and key), and the email
  names every topic of theirs it matched, each with its own one-click "stop" link.
- **Never a question they cannot see**: the job skips a thread hidden or deleted before
  it ran, and `withdrawn` (jobs.notices.register_withdrawn) drops the notices of one
  hidden before its email went out (the digest waits up to a day).
- **Only new questions**: an edit does not match again, and a question dated more than
  NEW_WITHIN ago (the demo, an import) queues nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import notifications as email_settings
from accounts import rules
from accounts.models import User
from forum import indexing
from forum.markdown import plain_text
from forum.models import Thread, TopicFollow
from forum.notifications import thread_email
from jobs import notices, outbox
from search.query import matching_queries

log = logging.getLogger(__name__)

MATCH_JOB = "topic_match"  # the outbox kind, registered in forum/apps.py
TOPICS = "topics"  # the kind of email on the settings page
EVENT_PREFIX = "topic:"
UNSUBSCRIBE_SALT = "forum.topic-unsubscribe"
NEW_WITHIN = timedelta(hours=1)
CHUNK = 200  # people told per job (handle_match)


def register_email_kind() -> None:
    """forum/apps.py: the kind on the email settings page. The daily digest by default:
    a busy tag can bring many questions a day, and a follower asked for a topic, not for
    every question in it as it comes."""
    email_settings.register_kind(
        TOPICS,
        "New questions on topics you follow",
        "A question is asked with a tag, in a product area or matching a search you follow.",
        default=email_settings.DIGEST,
    )


# --- queueing ----------------------------------------------------------------------------


def record_new_thread(thread: Thread) -> None:
    """In create_thread's transaction: queue the matching job for a question just asked,
    if anyone follows a topic at all (one small read instead of a job for every question
    on a site where nobody does)."""
    if thread.created_at < timezone.now() - NEW_WITHIN:
        return
    if not TopicFollow.objects.exists():
        return
    outbox.enqueue(MATCH_JOB, {"thread_id": thread.pk}, dedupe_key=f"topic-match:{thread.pk}")


# --- matching (the worker) -----------------------------------------------------------------


def matching_follows(thread: Thread) -> dict[int, list[TopicFollow]]:
    """{person id: their topics this question matches, tags first, then the area, then
    searches}. Six queries at most: the thread's tags, the follows of its area and tags,
    the distinct searches people follow, the thread's search entry, the match of them all
    against it (search.query.matching_queries), and the follows of those it matches."""
    tag_ids = list(thread.tagged_items.values_list("tag_id", flat=True))
    direct = Q(kind=TopicFollow.Kind.AREA, category_id=thread.category_id)
    if tag_ids:
        direct |= Q(kind=TopicFollow.Kind.TAG, tag_id__in=tag_ids)
    follows = list(TopicFollow.objects.filter(direct).select_related("tag", "category"))
    texts = (
        TopicFollow.objects.filter(kind=TopicFollow.Kind.SEARCH)
        .order_by()
        .values_list("query", flat=True)
        .distinct()
    )
    found = matching_queries(indexing.KIND, thread.pk, list(texts))
    if found:
        follows += list(TopicFollow.objects.filter(kind=TopicFollow.Kind.SEARCH, query__in=found))
    order = {TopicFollow.Kind.TAG: 0, TopicFollow.Kind.AREA: 1, TopicFollow.Kind.SEARCH: 2}
    people: dict[int, list[TopicFollow]] = {}
    for follow in sorted(follows, key=lambda f: (order[f.kind], f.pk)):
        people.setdefault(follow.user_id, []).append(follow)
    return people


def handle_match(payload: dict) -> int:
    """Outbox handler for MATCH_JOB. Returns how many people this run told.

    The first job matches; up to CHUNK people it tells them itself, past that it queues
    one job per CHUNK people (payload `follows`: {person id: [their follow ids]}, dedupe
    key topic-match:<thread>:<n>), so that no one job outgrows its time limit: telling
    a person (their choice, "told already?", rendering the email, the insert) takes a few
    milliseconds, so a few hundred people cost more than the whole match
    (bench/topics_bench.py; docs/benchmarks.md)."""
    thread = (
        Thread.objects.visible()
        .select_related("category", "author")
        .filter(pk=payload.get("thread_id"))
        .first()
    )
    if thread is None:
        return 0  # deleted or hidden since it was asked: nobody is told
    chunk = payload.get("follows")
    people = _follows_of_chunk(chunk) if chunk is not None else matching_follows(thread)
    people.pop(thread.author_id, None)  # never about one's own question
    if chunk is None and len(people) > CHUNK:
        return _queue_chunks(thread, people)
    if not people:
        return 0
    link = settings.SITE_URL + thread.get_absolute_url()
    summary = plain_text(thread.body_html, 200)
    thread.tag_names = list(thread.tags.values_list("name", flat=True))  # once, for every email
    told = 0
    for person in User.objects.filter(pk__in=people, is_active=True).order_by("pk"):
        follows = people[person.pk]
        told += notices.notify(
            person.pk,
            TOPICS,
            f"{EVENT_PREFIX}{thread.pk}",
            lambda p=person, f=follows: build_email(thread, f, p),
            summary=f"{topic_words(follows[0])} · {summary}",
            link=link,
        )
    return told


def _queue_chunks(thread: Thread, people: dict[int, list[TopicFollow]]) -> int:
    """One MATCH_JOB per CHUNK people, in person order: a rerun of the match queues the
    same keys (and the notices are once per person anyway). Returns 0: nobody told yet."""
    ids = sorted(people)
    with transaction.atomic():
        for n, start in enumerate(range(0, len(ids), CHUNK)):
            chunk = {str(pk): [f.pk for f in people[pk]] for pk in ids[start : start + CHUNK]}
            payload = {"thread_id": thread.pk, "follows": chunk}
            outbox.enqueue(MATCH_JOB, payload, dedupe_key=f"topic-match:{thread.pk}:{n}")
    return 0


def _follows_of_chunk(follows: dict) -> dict[int, list[TopicFollow]]:
    """A chunk's people with their follows as matched, less those stopped since."""
    wanted = [pk for ids in follows.values() for pk in ids]
    found = TopicFollow.objects.select_related("tag", "category").in_bulk(wanted)
    return {
        int(user_id): [found[pk] for pk in ids if pk in found]
        for user_id, ids in follows.items()
        if any(pk in found for pk in ids)
    }


def withdrawn(event_keys: list[str]) -> set[str]:
    """jobs.notices.register_withdrawn: the notices about questions nobody may see now."""
    ids = {
        int(key.removeprefix(EVENT_PREFIX)) for key in event_keys if key.removeprefix(EVENT_PREFIX).isdigit()
    }
    visible = {str(pk) for pk in Thread.objects.visible().filter(pk__in=ids).values_list("pk", flat=True)}
    return {key for key in event_keys if key.removeprefix(EVENT_PREFIX) not in visible}


# --- the email --------------------------------------------------------------------------


def topic_words(follow: TopicFollow) -> str:
    """ "the tag “sync”", "the area “Windows app”", "your search “sync windows”"."""
    if follow.kind == TopicFollow.Kind.TAG:
        return f"Tag “{follow.tag.name}”"
    if follow.kind == TopicFollow.Kind.AREA:
        return f"Area “{follow.category.name}”"
    return f"Search “{follow.query}”"


def build_email(thread: Thread, follows: list[TopicFollow], person: User):
    """One question, the topics of this person's it matched, each with its stop link;
    the List-Unsubscribe header stops the first of them. Precondition: `thread.tag_names`
    set (handle_match) and its author and category loaded."""
    topics = [
        {
            "words": topic_words(f),
            "unsubscribe_url": unsubscribe_url(f),
            "url": settings.SITE_URL + f.get_absolute_url(),
        }
        for f in follows
    ]
    context = {
        "person": person,
        "thread": thread,
        "asker": thread.author,
        "topics": topics,
        "excerpt": plain_text(thread.body_html, 400),
        "link": settings.SITE_URL + thread.get_absolute_url(),
        "unsubscribe_url": topics[0]["unsubscribe_url"],
        "tag_names": thread.tag_names,
    }
    return thread_email("forum_topic", person, topics[0]["unsubscribe_url"], context)


def unsubscribe_token(follow: TopicFollow) -> str:
    """Signed, non-expiring, for one follow of one person: an old email's link still
    works, stops only that topic, and nobody forges one for another."""
    return signing.dumps({"u": follow.user_id, "f": follow.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["u"]), int(data["f"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(follow: TopicFollow) -> str:
    return settings.SITE_URL + reverse("forum:topic_unsubscribe", args=[unsubscribe_token(follow)])


# --- on other apps' pages -------------------------------------------------------------------


def settings_section(request, back: str = "") -> str | None:
    """The email settings page's "Topics you follow" (accounts.notifications.register_section).
    One query. `back`: where its plain-POST unfollow buttons return (the page itself)."""
    if not rules.is_signed_in(request.user):
        return None
    follows = list(TopicFollow.objects.filter(user=request.user).select_related("tag", "category"))
    back = back or request.get_full_path()
    context = {"follows": follows, "max_topics": TopicFollow.MAX_PER_PERSON, "back": back}
    return render_to_string("forum/includes/topics_settings.html", context, request=request)


def search_tool(request, text: str) -> str | None:
    """The search results page's "Follow this search" (search.views.register_results_tool).
    No query: signed out, or already following, the button says what happens on click."""
    context = {
        "kind": TopicFollow.Kind.SEARCH,
        "target": text,
        "following": False,
        "back": request.get_full_path(),
    }
    return render_to_string("forum/includes/topic_follow_button.html", context, request=request)
