"""One fix helps many: a fix on one thread reaches everyone in its cluster.

1. `record_fix` runs inside the writer's transaction when a thread gets a fix: forum
   announces official answers and accepted solutions through its "fix published" hook
   (forum.hooks, subscribed in duplicates/apps.py); kb calls `record_fix` directly when
   it publishes an article. It records a `Fix` row (URL and title stored, so the banner
   needs no import of kb) and an outbox job FIX_JOB, one per fix (`Fix.key` is unique,
   the job's dedupe key is the fix's).
2. The thread page of every *other* thread in the cluster shows a banner linking to
   the fix (`fix_banner`, an "after_question" panel). The banner is read live from
   the cluster, so a thread that joins a cluster later shows the fixes it already
   had.
3. `handle_fix` (worker) emails the people of the cluster's other threads, one email
   per person per fix, through jobs.notices.notify (recorded once per person and
   `email_key`, sent by the person's coalescing flush). One fix is one answer: its
   official mark, its acceptance and an article made from it are three Fix rows (the
   banner and "solved through" need each) but one email key, "fix:post:<answer>", so a
   person hears of that answer once (issue 12, item 4: three "Fixed on a linked
   question" emails for one fix were these three rows). An article linked to a thread
   without a source answer is its own fix ("fix:article:<article>").
   Not emailed: the person who acted, and the followers of the fix's own thread (the
   forum's or kb's own email already tells them about this fix).
4. When threads join a cluster (`announce_to_joiners`, from a confirmation), the job
   runs again for each fix of the cluster: the send-once rows limit it to the people
   who joined.
5. Solved through a linked question (issue 10, item 5): in the same transactions as
   1. and 4., the cluster's other threads that are not solved are marked solved through
   the fix (`mark_linked` -> forum.actions.mark_solved_through_link, which owns the
   fact and its rules): they leave the staff queue, and their askers are asked "Did
   this fix it for you too?" on the banner and in the email; "No, still broken" puts
   the thread back at its old wait (forum.actions.answer_linked_fix). When a confirmed
   link is undone, threads still waiting for their asker's answer whose fix is no
   longer in their cluster go back to the queue (`withdraw_from_leavers`).

Who counts: askers, me-too voters and followers of the cluster's threads. Askers and
me-too voters follow their threads automatically, and unfollowing is how anyone
says "no more email about this" (the emails' unsubscribe link does it), so the
recipients are the followers of those threads: an asker or voter who unfollowed
is not emailed.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts import notifications as email_settings
from accounts import rules
from accounts.models import User
from duplicates.models import ClusterMembership, DuplicateLink, Fix
from forum import actions as forum_actions
from forum.markdown import plain_text
from forum.models import Follow, Thread
from forum.notifications import answer_excerpt, thread_email, unsubscribe_url
from jobs import notices, outbox

log = logging.getLogger(__name__)

FIX_JOB = "fix"  # the outbox kind, registered in duplicates/apps.py
LINKED_FIXES = "linked_fixes"  # the kind of email (accounts.notifications)


def register_email_kinds() -> None:
    """duplicates/apps.py: the kind on the email settings page."""
    email_settings.register_kind(
        LINKED_FIXES,
        "Fixes on linked questions",
        "A question linked to yours as the same problem gets an official answer, a solution or a help article.",
    )


def article_summary(article) -> str:
    """What an email quotes of an article: its summary, else its first paragraph."""
    summary = " ".join(str(getattr(article, "summary", "") or "").split())
    if summary:
        return summary[:500]
    body = str(getattr(article, "body_html", "") or "")
    first = body.split("</p>", 1)[0] if "<p>" in body else body
    return plain_text(first, 400)


def _fix_fields(thread, post, kind: str, article) -> tuple[str, str, str, str]:
    """(key, url, title, event) of a fix."""
    if kind == Fix.Kind.ARTICLE:
        if article is None:
            raise ValueError("record_fix(kind='article') needs article=")
        # One row per (article, thread): the banner needs each source thread's cluster;
        # the email event is the article's, so a person hears about it once.
        return (
            f"article:{article.pk}:{thread.pk}",
            article.get_absolute_url(),
            str(article.title),
            f"fix:article:{article.pk}",
        )
    if kind not in (Fix.Kind.OFFICIAL, Fix.Kind.ACCEPTED) or post is None:
        raise ValueError(f"unknown fix kind {kind!r}")
    return (
        f"{kind}:{post.pk}",
        f"{thread.get_absolute_url()}#post-{post.pk}",
        thread.title,
        f"fix:{kind}:{post.pk}",
    )


def record_fix(thread, post=None, actor=None, kind: str = "", article=None) -> None:
    """A thread got a fix: record it and queue the fan-out to its cluster.

    Precondition: inside the writer's transaction (forum's "fix published" hook, or
    kb.actions.publish/link_thread); only records work, nothing is sent before commit.
    kind is a Fix.Kind; `post` is the answer (None for an article without a source
    answer); `article` (with get_absolute_url() and title) for kind "article".
    """
    key, url, title, _ = _fix_fields(thread, post, kind, article)
    try:
        with transaction.atomic():
            fix, created = Fix.objects.get_or_create(
                key=key,
                defaults={
                    "kind": kind,
                    "thread_id": thread.pk,
                    "post_id": post.pk if post is not None else None,
                    "actor_id": actor.pk if actor is not None else None,
                    "url": url[:500],
                    "title": title[:300],
                    "summary": article_summary(article) if kind == Fix.Kind.ARTICLE else "",
                },
            )
    except IntegrityError:  # announced concurrently: the other writer queued it
        return
    if created:
        outbox.enqueue(FIX_JOB, {"fix_id": fix.pk}, dedupe_key=f"fix:{fix.pk}")
        if kind == Fix.Kind.ARTICLE:
            _unmark_source(fix)
        membership = ClusterMembership.objects.filter(thread_id=thread.pk).first()
        if membership is not None:
            mark_linked(fix, membership.cluster_id)


def announce_to_joiners(joined: dict[int, set[int]]) -> int:
    """Queue the fan-out again for every fix of the clusters that gained threads, and
    mark the clusters' unsolved threads solved through their fixes (oldest fix first).
    Precondition: inside the transaction that changed the clusters."""
    queued = 0
    for cluster_id in joined:
        for fix in Fix.objects.filter(
            thread__cluster_membership__cluster_id=cluster_id, thread__is_deleted=False
        ):
            outbox.enqueue(FIX_JOB, {"fix_id": fix.pk})
            queued += 1
            mark_linked(fix, cluster_id)
    return queued


def fix_threads(fix: Fix):
    """The threads a fix was published on: its own, or every source thread of an article
    (each has a Fix row). Their people hear of it from the forum or the KB."""
    if fix.kind == Fix.Kind.ARTICLE:
        article_prefix = fix.key.rsplit(":", 1)[0] + ":"
        return Fix.objects.filter(key__startswith=article_prefix).values("thread_id")
    return [fix.thread_id]


def mark_linked(fix: Fix, cluster_id: int) -> list[int]:
    """The cluster's other threads are solved through `fix`; forum decides which of them
    (visible, not solved yet, not refused by their asker: mark_solved_through_link)."""
    others = (
        ClusterMembership.objects.filter(cluster_id=cluster_id)
        .exclude(thread_id__in=fix_threads(fix))
        .values_list("thread_id", flat=True)
    )
    return forum_actions.mark_solved_through_link(
        list(others), key=event_key(fix), url=fix.url, title=fix.title, published_at=fix.created_at
    )


def _unmark_source(fix: Fix) -> None:
    """An article's source thread is fixed by the article, not "through a linked
    question": if another source's row of the same article marked it a moment ago (kb
    records one row per source, one after the other), that mark is taken back."""
    if Thread.objects.filter(
        pk=fix.thread_id, linked_fix=Thread.LinkedFix.PENDING, linked_fix_key=event_key(fix)
    ).exists():
        forum_actions.withdraw_solved_through_link([fix.thread_id])


def withdraw_from_leavers(seeds: list[int]) -> list[int]:
    """After a confirmed link was undone (and the clusters recomputed, in the same
    transaction): the threads around it still waiting for their asker's answer whose
    fix is no longer in their cluster go back to the staff queue."""
    clusters = ClusterMembership.objects.filter(thread_id__in=seeds).values("cluster_id")
    pending = Thread.objects.filter(
        Q(pk__in=seeds) | Q(cluster_membership__cluster_id__in=clusters), linked_fix=Thread.LinkedFix.PENDING
    ).values_list("pk", "linked_fix_key", "cluster_membership__cluster_id")
    keys: dict[int, set[str]] = {}
    leaving = []
    for thread_id, key, cluster_id in pending:
        if cluster_id is not None and cluster_id not in keys:
            found = Fix.objects.filter(
                thread__cluster_membership__cluster_id=cluster_id, thread__is_deleted=False
            )
            keys[cluster_id] = {event_key(fix) for fix in found.only("kind", "key")}
        if cluster_id is None or key not in keys[cluster_id]:
            leaving.append(thread_id)
    return forum_actions.withdraw_solved_through_link(leaving) if leaving else []


def event_key(fix: Fix) -> str:
    """The send-once event key: one email per person per fix (per article, for KB fixes)."""
    if fix.kind == Fix.Kind.ARTICLE:
        return "fix:article:" + fix.key.split(":")[1]
    return f"fix:{fix.key}"


def email_key(fix: Fix) -> str:
    """The email's once-per-person key: one answer is one fix, however many rows announce
    it (official, accepted, an article made from it); see the module doc."""
    if fix.post_id:
        return f"fix:post:{fix.post_id}"
    return event_key(fix)


def recipients(fix: Fix, cluster_id: int) -> dict[int, int]:
    """{user_id: the thread to tell them about} for a fix's cluster; see the module doc."""
    others = (
        Thread.objects.visible()
        .filter(cluster_membership__cluster_id=cluster_id)
        .exclude(pk=fix.thread_id)
        .values_list("pk", flat=True)
    )
    sources = fix_threads(fix)  # for an article, every source thread gets kb's email
    others = others.exclude(pk__in=sources)
    told_anyway = set(Follow.objects.filter(thread_id__in=sources).values_list("user_id", flat=True))
    if fix.actor_id:
        told_anyway.add(fix.actor_id)
    if fix.kind == Fix.Kind.ACCEPTED and fix.post_id:
        # the forum's own "accepted" email goes to the answer's author too
        told_anyway.add(fix.post.author_id)
    people: dict[int, int] = {}
    asked: dict[int, int] = {}
    for user_id, thread_id, asker_id in (
        Follow.objects.filter(thread_id__in=others)
        .order_by("thread_id")
        .values_list("user_id", "thread_id", "thread__author_id")
    ):
        if user_id not in told_anyway:
            people.setdefault(user_id, thread_id)  # their oldest thread in the cluster ...
            if asker_id == user_id:
                asked.setdefault(user_id, thread_id)  # ... unless they asked one: that one
    return people | asked


def linked_by(person: User, thread: Thread) -> str:
    """Who linked `thread` to its cluster, in the words of an email to `person`: "you",
    "the asker", "the asker of the other question" or "our staff" (not "staff" when an
    asker did it). The link is the first confirmed one of `thread` (the one that joined
    it to the cluster); its decider is the actor."""
    link = (
        DuplicateLink.objects.involving(thread.pk)
        .confirmed()
        .select_related("decided_by", "low", "high")
        .order_by("decided_at", "pk")
        .first()
    )
    by = link.decided_by if link is not None else None
    if by is None:
        return ""
    if by.pk == person.pk:
        return "you"
    if rules.is_team(by):
        return "our staff"
    if by.pk == thread.author_id:
        return "the asker"
    return "the asker of the other question"


def fix_excerpt(fix: Fix) -> str:
    """What the email quotes: an article's summary (or first paragraph), else the answer
    without the greeting to its own asker (forum.notifications.answer_excerpt)."""
    if fix.kind == Fix.Kind.ARTICLE:
        return fix.summary
    return answer_excerpt(fix.post) if fix.post_id else ""


def build_email(fix: Fix, person: User, thread: Thread) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(person.pk, thread.pk)
    context = {
        "fix": fix,
        "kind_label": fix.get_kind_display().lower(),
        "person": person,
        "thread": thread,
        "is_asker": person.pk == thread.author_id,
        "linked_by": linked_by(person, thread),
        "thread_link": settings.SITE_URL + thread.get_absolute_url(),
        "fix_link": settings.SITE_URL + fix.url if fix.url.startswith("/") else fix.url,
        "excerpt": fix_excerpt(fix),
        "unsubscribe_url": unsubscribe,
        # The asker is asked "Did this fix it for you too?": the links only open the
        # question (a GET never answers: mail scanners open links), where a button does.
        "ask_asker": person.pk == thread.author_id and thread.linked_fix == Thread.LinkedFix.PENDING,
        "yes_link": settings.SITE_URL + thread.get_absolute_url() + "?fixed=yes#linked-fix",
        "no_link": settings.SITE_URL + thread.get_absolute_url() + "?fixed=no#linked-fix",
    }
    return thread_email("duplicate_fix", person, unsubscribe, context)


def handle_fix(payload: dict) -> int:
    """Outbox handler for FIX_JOB. Returns how many people this run told."""
    fix = Fix.objects.select_related("thread", "post").filter(pk=payload.get("fix_id")).first()
    if fix is None or fix.thread.is_deleted:
        return 0
    membership = ClusterMembership.objects.filter(thread_id=fix.thread_id).first()
    if membership is None:
        return 0  # not linked (yet): a later confirmation queues this again
    people = recipients(fix, membership.cluster_id)
    users = User.objects.filter(pk__in=people, is_active=True).order_by("pk")
    threads = Thread.objects.in_bulk(set(people.values()))
    key = email_key(fix)
    fix_link = settings.SITE_URL + fix.url if fix.url.startswith("/") else fix.url
    summary = (
        fix.summary
        if fix.kind == Fix.Kind.ARTICLE
        else (answer_excerpt(fix.post, 200) if fix.post_id else "")
    )
    told = 0
    for person in users:
        thread = threads[people[person.pk]]
        told += notices.notify(
            person.pk,
            LINKED_FIXES,
            key,
            lambda p=person, t=thread: build_email(fix, p, t),
            summary=summary,
            link=fix_link,
            topic=key,
        )
    return told


# --- reads -------------------------------------------------------------------------------


def cluster_fixes(cluster_id: int, *, except_thread: int | None = None) -> list[Fix]:
    """Fixes published on the cluster's visible threads (but `except_thread`), oldest
    first, an article made from two of them once. One query."""
    found = Fix.objects.filter(thread__cluster_membership__cluster_id=cluster_id, thread__is_deleted=False)
    if except_thread is not None:
        found = found.exclude(thread_id=except_thread)
    unique: dict[str, Fix] = {}
    for fix in found.only("pk", "kind", "url", "title", "thread_id", "created_at"):
        unique.setdefault(fix.url, fix)
    return list(unique.values())
