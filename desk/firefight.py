"""Repeated firefighting (issue 13, item 4; docs/insights.md, "Repeated firefighting").

The same staff answer given again and again is a signal: promote it to the knowledge
base. A beat job (desk.tasks.find_repeats, every 15 minutes) reads the staff replies of
the last WINDOW on threads that no published article covers, groups the near-identical
ones and stores the groups (RepeatGroup, RepeatReply); the desk reads what is stored,
with a fixed number of queries, and never computes a group on a page view.

- **Staff reply**: an answer (not deleted, on a visible thread) whose author has the
  staff role. Customers' answers never count, however alike.
- **Covered**: a thread is covered when a *published* article lists it as a source
  (kb.ArticleSource), or when it is in the duplicate cluster of a thread that is. A
  covered thread's replies are left out: their fix already has its article.
- **Near-identical**: the cosine similarity of the two replies' TF-IDF vectors is at
  least MIN_SIMILARITY. Terms are the duplicate scorer's (duplicates.scoring.text:
  stemmed, stop words out), taken from the reply without its greeting and sign-off
  (forum.conversation.strip_conversation, the rule promotion uses); IDF comes from the
  scorer's CorpusStats over the replies being grouped. Replies with fewer than MIN_TERMS
  content terms ("Fixed in 4.3, thanks!") are too short to say anything and are skipped.
  The cut was measured on a labelled set of reply pairs (tests/desk/firefight_pairs.py,
  bench/firefight_threshold.py); its precision and recall are in docs/insights.md.
- **Group**: replies joined by near-identical pairs (connected components), one reply
  per thread (the best there); a group with at least DESK_FIREFIGHT_MIN_THREADS threads
  is kept.
- **Best reply** (what "Promote" starts the article from): the accepted solution first,
  then an official answer, then the most "helpful" votes, then the newest (the most up to
  date wording).

The job keeps a group's row (and so its dismissal, or the draft "Promote" made) while any
of its replies is found again; a group nobody's replies form any more (its threads got
covered, its replies were deleted) is deleted.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts import rules
from accounts.models import User
from audit.actions import record
from desk.models import RepeatGroup, RepeatReply
from duplicates.models import ClusterMembership
from duplicates.scoring import text
from duplicates.scoring.scorer import CorpusStats
from forum.conversation import strip_conversation
from forum.errors import InvalidAction, NotAllowed
from forum.markdown import plain_text, render_markdown
from forum.models import Post
from kb import actions as kb_actions
from kb.models import Article, ArticleSource

# Measured on tests/desk/firefight_pairs.py (docs/insights.md, "Repeated firefighting").
MIN_SIMILARITY = 0.5
MIN_TERMS = 6
MIN_CORPUS = 1000
# The share of the cut the terms left out of the search index may weigh (near_pairs).
LEFT_OUT = 0.7
# Replies older than this are history, not today's firefighting.
WINDOW = timedelta(days=180)
# At most this many replies (the newest) per run: the grouping grows faster than linearly
# with them (docs/benchmarks.md, "Repeated firefighting"), and one run must stay well
# inside its time limit (desk.tasks.find_repeats).
MAX_REPLIES = 10_000
EXCERPT = 300
# The desk's panel shows this many groups; /desk/repeats/ shows them all.
PANEL_GROUPS = 3


def min_threads() -> int:
    return settings.DESK_FIREFIGHT_MIN_THREADS


# --- the similarity ---------------------------------------------------------------------------


def reply_terms(markdown: str) -> Counter[str]:
    """The content terms of a reply, without its greeting and sign-off."""
    return text.term_counts(strip_conversation(markdown))


def corpus(docs: list[Counter[str]]) -> CorpusStats:
    """The scorer's document frequencies over these replies (a term once per reply), as
    if there were at least MIN_CORPUS replies: with only a handful, the words the repeats
    share would be "in every reply" and weigh nothing, which is backwards. Below
    MIN_CORPUS the weights tend to plain word overlap; above it they are the site's IDF."""
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    return CorpusStats(doc_count=max(len(docs), MIN_CORPUS), df=df)


def vector(doc: Counter[str], stats: CorpusStats) -> dict[str, float]:
    """Unit-length TF-IDF, as the scorer weighs a thread: (1 + log tf) x idf."""
    weighted = {t: (1 + math.log(c)) * stats.idf(t) for t, c in doc.items()}
    norm = math.sqrt(sum(w * w for w in weighted.values()))
    return {t: w / norm for t, w in weighted.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def similarities(texts: list[str]) -> list[list[float]]:
    """Every pair's similarity (a matrix), for the measurement and the tests."""
    docs = [reply_terms(t) for t in texts]
    stats = corpus(docs)
    vectors = [vector(d, stats) for d in docs]
    return [[cosine(a, b) for b in vectors] for a in vectors]


def near_pairs(vectors: list[dict[str, float]], threshold: float, df=None) -> list[tuple[int, int]]:
    """(i, j), i < j, whose cosine is at least `threshold`.

    All-pairs search with a prefix filter (after Bayardo et al., "Scaling up all pairs
    similarity search", 2007). Each vector's commonest terms, as long as their weights
    together (as a norm, `rest`) stay under LEFT_OUT of the threshold, are left out of the
    inverted index; the rest are indexed with their weights. A later vector accumulates,
    through the index, its dot product with every earlier one over the indexed terms
    (`partial`). By Cauchy-Schwarz the terms left out add at most `rest`, so a pair whose
    partial + rest is under the threshold cannot reach it and is dropped without reading
    the two vectors; the others are compared exactly. Without this the common words make
    the search quadratic in the replies."""
    df = df if df is not None else Counter(t for vec in vectors for t in vec)
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    rest: list[float] = []
    pairs = []
    half = (threshold * LEFT_OUT) ** 2
    for j, vec in enumerate(vectors):
        partial: dict[int, float] = defaultdict(float)
        for term, weight in vec.items():
            for i, other in index.get(term, ()):
                partial[i] += weight * other
        pairs.extend(
            (i, j)
            for i, dot in sorted(partial.items())
            if dot + rest[i] >= threshold and cosine(vectors[i], vec) >= threshold
        )
        left_out = 0.0
        for term in sorted(vec, key=lambda t: (-df[t], t)):  # commonest first
            if left_out + vec[term] * vec[term] < half:
                left_out += vec[term] * vec[term]
            else:
                index[term].append((j, vec[term]))
        rest.append(math.sqrt(left_out))
    return pairs


def components(n: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Connected components (union-find) of 0..n-1 joined by `pairs`, 2+ members each."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return [sorted(g) for g in groups.values() if len(g) > 1]


# --- the job --------------------------------------------------------------------------------


@dataclass
class Reply:
    post_id: int
    thread_id: int
    author_id: int
    created_at: datetime
    helpful: int
    official: bool
    accepted: bool
    title: str
    body_md: str


def rank(reply: Reply) -> tuple:
    """The best reply sorts first: accepted, official, most helpful, newest."""
    return (
        not reply.accepted,
        not reply.official,
        -reply.helpful,
        -reply.created_at.timestamp(),
        -reply.post_id,
    )


def covered_threads():
    """Two subqueries of covered thread ids: those in the cluster of a thread a published
    article lists as a source, and those it lists."""
    sources = ArticleSource.objects.filter(article__status=Article.Status.PUBLISHED).values("thread_id")
    clusters = ClusterMembership.objects.filter(thread_id__in=sources).values("cluster_id")
    return ClusterMembership.objects.filter(cluster_id__in=clusters).values("thread_id"), sources


def staff_replies(now: datetime) -> list[Reply]:
    """The newest MAX_REPLIES staff replies of the last WINDOW on uncovered visible threads."""
    in_clusters, sources = covered_threads()
    rows = (
        Post.objects.filter(
            is_deleted=False,
            thread__is_deleted=False,
            author__role=User.Role.STAFF,
            created_at__gte=now - WINDOW,
        )
        .exclude(thread_id__in=sources)
        .exclude(thread_id__in=in_clusters)
        .order_by("-created_at", "-id")
        .values_list(
            "id",
            "thread_id",
            "author_id",
            "created_at",
            "helpful_count",
            "is_official",
            "thread__accepted_post_id",
            "thread__title",
            "body_md",
        )[:MAX_REPLIES]
    )
    return [
        Reply(pk, thread, author, at, helpful, official, accepted == pk, title, md)
        for pk, thread, author, at, helpful, official, accepted, title, md in rows
    ]


@dataclass
class Found:
    """A group as one run found it: its replies (one per thread) best first, each with
    its similarity to the best."""

    replies: list[tuple[Reply, float]]

    @property
    def best(self) -> Reply:
        return self.replies[0][0]


def find(
    replies: list[Reply], *, threshold: float = MIN_SIMILARITY, at_least: int | None = None
) -> list[Found]:
    """Group near-identical replies; keep groups with at least `at_least` threads."""
    at_least = min_threads() if at_least is None else at_least
    docs = [reply_terms(r.body_md) for r in replies]
    keep = [i for i, d in enumerate(docs) if sum(d.values()) >= MIN_TERMS]
    stats = corpus([docs[i] for i in keep])
    vectors = [vector(docs[i], stats) for i in keep]
    found = []
    for members in components(len(keep), near_pairs(vectors, threshold, stats.df)):
        per_thread: dict[int, int] = {}
        for m in sorted(members, key=lambda m: rank(replies[keep[m]])):
            per_thread.setdefault(replies[keep[m]].thread_id, m)
        if len(per_thread) < at_least:
            continue
        chosen = sorted(per_thread.values(), key=lambda m: rank(replies[keep[m]]))
        best = vectors[chosen[0]]
        found.append(Found([(replies[keep[m]], round(cosine(best, vectors[m]), 4)) for m in chosen]))
    found.sort(key=lambda f: (-len(f.replies), f.best.post_id))
    return found


def _excerpt(reply: Reply) -> str:
    """The start of the fix as an article would start (no greeting), in plain words."""
    return plain_text(render_markdown(strip_conversation(reply.body_md)), EXCERPT)[:EXCERPT]


def refresh(now: datetime | None = None) -> int:
    """Recompute and store the repeat groups (the beat job). Idempotent: a second run on
    the same rows stores the same groups. Returns how many groups are kept."""
    now = now or timezone.now()
    found = find(staff_replies(now))
    with transaction.atomic():
        # Lock the groups so that two overlapping runs store one after the other.
        existing = {g.pk: g for g in RepeatGroup.objects.select_for_update().order_by("pk")}
        was_in = dict(RepeatReply.objects.values_list("post_id", "group_id"))
        kept: dict[int, Found] = {}
        fresh: list[Found] = []
        for group in found:
            votes = Counter(was_in[r.post_id] for r, _ in group.replies if r.post_id in was_in)
            same = next((gid for gid, _ in votes.most_common() if gid not in kept), None)
            if same is None:
                fresh.append(group)
            else:
                kept[same] = group
        RepeatReply.objects.all().delete()
        RepeatGroup.objects.exclude(pk__in=kept).delete()
        rows = []
        for pk, group in kept.items():
            row = existing[pk]
            _fill(row, group, now)
            row.save(
                update_fields=[
                    "best_post",
                    "title",
                    "excerpt",
                    "thread_count",
                    "first_at",
                    "last_at",
                    "updated_at",
                ]
            )
            rows.append((row, group))
        for group in fresh:
            row = RepeatGroup()
            _fill(row, group, now)
            row.save()
            rows.append((row, group))
        RepeatReply.objects.bulk_create(
            RepeatReply(
                group=row,
                post_id=r.post_id,
                thread_id=r.thread_id,
                author_id=r.author_id,
                created_at=r.created_at,
                similarity=similarity,
            )
            for row, group in rows
            for r, similarity in group.replies
        )
    return len(rows)


def _fill(row: RepeatGroup, group: Found, now: datetime) -> None:
    best = group.best
    times = [r.created_at for r, _ in group.replies]
    row.best_post_id = best.post_id
    row.title = best.title[:150]
    row.excerpt = _excerpt(best)
    row.thread_count = len(group.replies)
    row.first_at, row.last_at = min(times), max(times)
    row.updated_at = now


# --- what the desk reads ------------------------------------------------------------------------


def _shown():
    """Groups to act on: big enough (today's setting), not dismissed, and not promoted to
    an article that is published (its threads are covered: the next run drops the group)."""
    return (
        RepeatGroup.objects.filter(dismissed_at__isnull=True, thread_count__gte=min_threads())
        .exclude(article__status=Article.Status.PUBLISHED)
        .select_related("article")
    )


def _replies():
    return Prefetch("replies", queryset=RepeatReply.objects.select_related("thread", "author"))


@dataclass
class Nudge:
    group: RepeatGroup
    mine: int

    @property
    def headline(self) -> str:
        n = self.group.thread_count
        if self.mine == n:
            return f"You've answered this {n} times"
        return f"The team has answered this {n} times ({self.mine} by you)"


def nudges_for(user, limit: int = PANEL_GROUPS) -> list[Nudge]:
    """The groups this member of staff wrote a reply in, biggest first (2 queries)."""
    groups = list(_shown().filter(replies__author=user).distinct().prefetch_related(_replies())[:limit])
    return [Nudge(g, sum(1 for r in g.replies.all() if r.author_id == user.pk)) for g in groups]


def team_groups() -> tuple[list[RepeatGroup], list[RepeatGroup]]:
    """Every group (the team's list): those to act on, and those dismissed (2 queries)."""
    groups = list(
        RepeatGroup.objects.filter(thread_count__gte=min_threads())
        .exclude(article__status=Article.Status.PUBLISHED)
        .select_related("article", "dismissed_by")
        .prefetch_related(_replies())
        .order_by("dismissed_at", "-thread_count", "-last_at", "-id")
    )
    return [g for g in groups if g.dismissed_at is None], [g for g in groups if g.dismissed_at]


# --- the writes ---------------------------------------------------------------------------------


def _require_desk(user) -> None:
    if not rules.may_work_desk(user):
        raise NotAllowed("Only staff can do this.")


def dismiss(group: RepeatGroup, by) -> bool:
    """ "Not a repeat" (staff): the group is no longer shown as a nudge, and the job keeps
    it dismissed while it finds its replies. Returns False if it was dismissed already."""
    _require_desk(by)
    with transaction.atomic():
        done = RepeatGroup.objects.filter(pk=group.pk, dismissed_at__isnull=True).update(
            dismissed_at=timezone.now(), dismissed_by=by
        )
        if done:
            record(by, "desk.repeat_dismiss", group, threads=group.thread_count)
    return bool(done)


def promote(group: RepeatGroup, by) -> Article:
    """ "Promote" (staff): a draft article from the group's best reply (kb.actions.promote:
    its thread's title, area and tags, the reply without greeting and sign-off, a source
    row for that thread and reply), and a source row for every other thread of the group,
    so that publishing the article covers them all (and tells their followers). Promoting
    the same group again returns the draft it already made (or the article its best reply
    already became)."""
    _require_desk(by)
    with transaction.atomic():
        current = RepeatGroup.objects.select_for_update().filter(pk=group.pk).first()
        if current is None:
            raise InvalidAction("These replies were regrouped meanwhile; open the desk again.")
        if current.article_id is not None:
            return current.article
        best = Post.objects.filter(pk=current.best_post_id).first()
        if best is None or best.is_deleted:
            raise InvalidAction("The reply this would start from was deleted; open the desk again.")
        article = kb_actions.promote(best, by)
        threads = [
            r.thread for r in current.replies.select_related("thread") if r.thread_id != best.thread_id
        ]
        for thread in threads:
            if not thread.is_deleted:
                kb_actions.link_thread(article, thread, by)
        current.article = article
        current.save(update_fields=["article"])
    return article
