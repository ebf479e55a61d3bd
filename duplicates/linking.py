"""The linking job: find earlier threads that ask the same thing as one thread.

Flow: `create_thread` / `edit_thread` call `enqueue_link(thread)` inside their
transaction (through forum.hooks "thread written"; an outbox row, see jobs/outbox.py);
after commit a worker runs
`handle_link(payload)` -> `link_thread(thread_id)`:

1. candidates: `search.query.similar()` over the thread's title and body (top 50,
   public threads, the thread itself excluded), kept only if they are *earlier*
   (created before it). Every pair is then scored exactly once, by the job of its
   later thread — on creation, and again when that thread's text changes;
2. texts: the candidates' rows, in the search engine's order, as `ThreadText`;
3. score: `scorer.score_candidates` — the same call `evaluate_duplicates` makes —
   with IDF from `background_stats()` (see there for why a sample of the site);
4. write, in one transaction that holds the thread's row lock: a `DuplicateLink`
   per pair that `suggests()` accepts. A suggested row gets the new score; a confirmed or
   rejected row is never touched (a human decided); a suggested row of an earlier
   pair that no longer scores is withdrawn (the text changed).

Idempotent: a second run with the same texts computes the same scores and changes
nothing; it sends nothing (linking emails nobody). A worker killed mid-run rolls the
transaction back and leaves the outbox row undone, so the redelivered message or
the sweep runs it again from scratch.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from duplicates.models import DuplicateLink
from duplicates.scoring.scorer import CorpusStats, ThreadText, score_candidates
from duplicates.scoring.scorer import suggests as scoring_suggests
from forum.models import TaggedThread, Thread
from jobs import outbox
from jobs.models import PendingJob
from search.query import similar

LINK_JOB = "link"  # the outbox kind, registered in duplicates/apps.py
METHOD = "scorer-v1"
CANDIDATES = 50
# The scorer's cost grows with text length; the first 4,000 characters of a body
# hold the question (the packs' bodies are shorter still).
BODY_CHARS = 4_000
# IDF background: the most recent threads, rebuilt per process this often.
STATS_SAMPLE = 2_000
STATS_MAX_AGE = 3600.0


# When the job suggests a link: settings.DUPLICATE_LINK_THRESHOLD (score) and
# settings.DUPLICATE_MIN_TEXT_MATCH (bm25). Not weights.THRESHOLD alone (1.827, the F1
# point on the training pack, whose candidates were all search hits of the question
# already): in the product, `search_rank` (weight 6.37 x 1/rank) lifts the top hits of
# ANY thread over 1.827, even when they share almost no words with it. So a suggestion
# needs both:
# - score >= 4.0, the lowest cut at which the training pack's precision reaches 85 %
#   (3.99, rounded; dev: 86.7 % precision, 36.4 % recall);
# - bm25 >= 0.10: the candidate covers at least a tenth of what the question's own
#   words could score (0.10 is the median of the training positives; negatives'
#   median is 0.02). Rank can then no longer do it alone.
# Together, on the training pack: precision 84.2 %, recall 32.4 %; dev 87.3 %, 32.2 %.
# Measured trade-offs (packs, link bench, demo): docs/duplicates.md, "Choosing the link
# threshold".


def threshold() -> float:
    """The score cut (settings.DUPLICATE_LINK_THRESHOLD)."""
    return float(settings.DUPLICATE_LINK_THRESHOLD)


def min_text_match() -> float:
    """The text gate (settings.DUPLICATE_MIN_TEXT_MATCH)."""
    return float(settings.DUPLICATE_MIN_TEXT_MATCH)


def suggests(result) -> bool:
    """Whether a scored candidate becomes a suggested link (see the comment above)."""
    return scoring_suggests(result, threshold(), min_text_match())


def text_hash(title: str, body: str, tags=(), category: str = "") -> str:
    """A fingerprint of what the scorer reads, carried in the job's payload."""
    raw = "\x00".join([title, body, ",".join(sorted(tags)), category])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def enqueue_link(thread: Thread, tags=(), category: str = "") -> PendingJob | None:
    """Record a link job for `thread` in the caller's transaction.

    Precondition: inside the transaction that wrote the thread's text, holding its
    row (create_thread, or edit_thread's select_for_update). An edit storm does not
    pile up jobs: if a link job for the thread is queued and not started yet, it
    will read the newest text when it runs (the job reads the row, not the payload),
    so nothing is added. A job already running may have read the old text, so a new
    one is added then; the handler takes the thread's row lock before reading, so it
    waits for this transaction and sees its text.
    """
    waiting = PendingJob.objects.filter(
        kind=LINK_JOB, done_at__isnull=True, attempts=0, payload__thread_id=thread.pk
    ).exists()
    if waiting:
        return None
    payload = {"thread_id": thread.pk, "text_hash": text_hash(thread.title, thread.body_md, tags, category)}
    return outbox.enqueue(LINK_JOB, payload)


@dataclass
class LinkOutcome:
    thread_id: int
    candidates: int = 0
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    above_threshold: int = 0


def handle_link(payload: dict) -> None:
    """Outbox handler for LINK_JOB."""
    link_thread(int(payload["thread_id"]))


_stats_lock = threading.Lock()
_stats: tuple[float, CorpusStats] | None = None


def reset_background_stats() -> None:
    global _stats
    with _stats_lock:
        _stats = None


def background_stats(now: float | None = None) -> CorpusStats:
    """IDF over the site's most recent STATS_SAMPLE visible threads, cached per process.

    Why this and not the other two choices:
    - the candidate set (~50 threads found by the thread's own words) is topically
      narrow: the problem's key words are in nearly all of them and would get almost
      no weight, which is not what the weights were fitted with — in evaluation the
      IDF comes from the whole pack, a broad background of many topics;
    - the search index's vocabulary counts unstemmed title and tag words, not the
      scorer's stemmed title+body terms, so it cannot stand in for `df`.
    A sample of a few thousand recent threads is broad like the pack, costs one query
    and about a second once per worker process per hour, and IDF of common words
    moves little as the site grows.
    """
    global _stats
    now = time.monotonic() if now is None else now
    with _stats_lock:
        if _stats is not None and now - _stats[0] < STATS_MAX_AGE:
            return _stats[1]
    rows = (
        Thread.objects.visible()
        .order_by("-created_at", "-id")
        .values_list("pk", "title", "body_md")[:STATS_SAMPLE]
    )
    stats = CorpusStats.from_threads(ThreadText(pk, title, body[:BODY_CHARS]) for pk, title, body in rows)
    with _stats_lock:
        _stats = (now, stats)
    return stats


def _tags_of(thread_ids) -> dict[int, tuple[str, ...]]:
    """Tag names per thread in one plain query (taggit's prefetch builds a queryset per
    thread: a third of the job's time at 10k threads)."""
    tags: dict[int, list[str]] = {}
    rows = TaggedThread.objects.filter(content_object_id__in=list(thread_ids)).order_by("tag__name")
    for thread_id, name in rows.values_list("content_object_id", "tag__name"):
        tags.setdefault(thread_id, []).append(name)
    return {k: tuple(v) for k, v in tags.items()}


def _thread_text(thread: Thread, tags: tuple[str, ...]) -> ThreadText:
    return ThreadText(
        id=thread.pk,
        title=thread.title,
        body=thread.body_md[:BODY_CHARS],
        tags=tags,
        category=thread.category.slug,
    )


def _is_earlier(created_at, pk: int, than: Thread) -> bool:
    return (created_at, pk) < (than.created_at, than.pk)


def link_thread(thread_id: int) -> LinkOutcome:
    """(Re)compute the suggested links between a thread and the earlier threads."""
    outcome = LinkOutcome(thread_id)
    stats = background_stats()  # built (about a second) outside the row lock, once an hour
    with transaction.atomic():
        # The row lock serialises two runs for one thread and waits for an edit in
        # flight, so the text read below is the newest committed one.
        thread = (
            Thread.objects.select_for_update(of=("self",))
            .select_related("category")
            .filter(pk=thread_id)
            .first()
        )
        if thread is None or thread.is_deleted:
            return outcome  # gone or hidden since the job was queued
        query = _thread_text(thread, _tags_of([thread.pk]).get(thread.pk, ()))
        hits = similar(
            query.title, query.body, kinds=("thread",), limit=CANDIDATES, exclude=[("thread", thread.pk)]
        )
        rank_of = {hit.object_id: rank for rank, hit in enumerate(hits, start=1)}
        rows = {
            t.pk: t
            for t in Thread.objects.visible()
            .filter(pk__in=list(rank_of))
            .select_related("category")
            .only("pk", "title", "body_md", "created_at", "category__slug")
        }
        ordered = [rows[i] for i in rank_of if i in rows and _is_earlier(rows[i].created_at, i, thread)]
        outcome.candidates = len(ordered)
        limit = threshold()
        wanted: dict[tuple[int, int], float] = {}
        if ordered:
            tags = _tags_of(t.pk for t in ordered)
            results = score_candidates(
                query,
                [_thread_text(t, tags.get(t.pk, ())) for t in ordered],
                stats,
                [rank_of[t.pk] for t in ordered],
                threshold=limit,
            )
            for result in results:
                if suggests(result):
                    other = int(result.candidate.id)
                    wanted[(min(other, thread.pk), max(other, thread.pk))] = round(result.score, 6)
        outcome.above_threshold = len(wanted)
        _write_links(thread, wanted, outcome)
    return outcome


def _write_links(thread: Thread, wanted: dict[tuple[int, int], float], outcome: LinkOutcome) -> None:
    existing = {}
    for row in DuplicateLink.objects.involving(thread.pk).values(
        "pk", "low_id", "high_id", "state", "score", "method", "low__created_at", "high__created_at"
    ):
        existing[(row["low_id"], row["high_id"])] = row
    create = []
    for pair, score in wanted.items():
        row = existing.get(pair)
        if row is None:
            create.append(DuplicateLink(low_id=pair[0], high_id=pair[1], score=score, method=METHOD))
        elif row["state"] == DuplicateLink.State.SUGGESTED and (
            row["score"] != score or row["method"] != METHOD
        ):
            DuplicateLink.objects.filter(pk=row["pk"], state=DuplicateLink.State.SUGGESTED).update(
                score=score, method=METHOD
            )
            outcome.updated += 1
    # ignore_conflicts: a pair inserted meanwhile by another run (the job of the other
    # thread) stays as that run wrote it; the unique constraint decides.
    if create:
        DuplicateLink.objects.bulk_create(create, ignore_conflicts=True)
    outcome.created = len(create)
    stale = [
        row["pk"]
        for pair, row in existing.items()
        if pair not in wanted
        and row["state"] == DuplicateLink.State.SUGGESTED
        and row["method"] == METHOD
        and _is_earlier(*_other_key(row, thread.pk), thread)
    ]
    if stale:
        outcome.withdrawn = DuplicateLink.objects.filter(
            pk__in=stale, state=DuplicateLink.State.SUGGESTED
        ).delete()[0]


def _other_key(row: dict, thread_id: int) -> tuple:
    if row["low_id"] == thread_id:
        return row["high__created_at"], row["high_id"]
    return row["low__created_at"], row["low_id"]
