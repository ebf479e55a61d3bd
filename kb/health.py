"""Evidence that an article is not working (issue 13, item 5; docs/insights.md, "Articles
that are not working").

A published article is flagged "needs review" for any of three reasons. The first two
count from `Article.live_since`, the moment the text readers see now went public, so an
edit that publishes a new revision starts them again (and clears the flag):

- **threads**: `KB_REVIEW_NEW_THREADS` or more questions asked since then are in the
  duplicate cluster of a question the article resolves, or were linked to the article
  itself. The article existed and people still had to ask.
- **votes**: of its last `KB_REVIEW_VOTES` "Was this helpful?" votes since then, fewer
  than `KB_REVIEW_HELPFUL_PERCENT` % said yes. Judged only once there are that many
  votes: three early "No"s are not evidence.
- **stale**: nobody has reviewed it for `KB_REVIEW_DAYS` days. Reviewed means a new
  revision went public, or staff pressed "Reviewed, still right" (kb.actions.mark_reviewed,
  audited), which clears this reason only: the other two are about readers, and a
  reviewer's word does not change what readers did.

The verdict and its numbers are stored on the row (`needs_review`, `review_reasons`,
`review_flagged_at`), never computed for a page. They are kept by the actions that
change an input (kb.actions: publish, a published edit, a vote, a link, a review; a
confirmed or undone duplicate link through duplicates' "clusters changed" hook) and by
the hourly beat job (kb.tasks.review_articles), which is what notices time passing and
anything the actions did not see (a deleted question, a merge). Two votes committed at
the same moment may each judge without the other's vote; the verdict is then one vote
behind until the next vote or run (no lock: a verdict a vote late is harmless, a lock
on every vote is not).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from duplicates.models import ClusterMembership
from forum.models import Thread
from kb.evidence import STALE, THREADS, VOTES
from kb.models import Article, ArticleSource, HelpfulVote

BATCH = 200  # articles read at once by the beat job
LIST_SIZE = 100  # flagged articles a list shows


@dataclass(frozen=True)
class Cuts:
    new_threads: int
    votes: int
    helpful_percent: int
    days: int


def cuts() -> Cuts:
    return Cuts(
        new_threads=settings.KB_REVIEW_NEW_THREADS,
        votes=settings.KB_REVIEW_VOTES,
        helpful_percent=settings.KB_REVIEW_HELPFUL_PERCENT,
        days=settings.KB_REVIEW_DAYS,
    )


# --- the three measures -------------------------------------------------------------------


def live_since(article: Article) -> datetime | None:
    """When the current text went public (rows from before the field: when it was published)."""
    return article.live_since or article.published_at


def last_reviewed(article: Article) -> datetime | None:
    return max((t for t in (article.reviewed_at, live_since(article)) if t is not None), default=None)


def new_threads(article: Article, since: datetime) -> int:
    """Visible questions asked after `since` that share a cluster with a question the
    article resolves, or are linked to the article. The question it was promoted from
    is its origin, never evidence against it. Two queries: the candidates' ids first (a
    few dozen), then the count by primary key; one query with an OR of the two sets
    made PostgreSQL scan every question asked since (80 ms an article at 100,000
    questions, against under 1 ms: bench/article_health_bench.py)."""
    sources = ArticleSource.objects.filter(article_id=article.pk).order_by()
    linked = sources.values_list("thread_id", flat=True)
    clusters = ClusterMembership.objects.filter(thread_id__in=linked).values("cluster_id")
    members = ClusterMembership.objects.filter(cluster_id__in=clusters).order_by()
    candidates = list(members.values_list("thread_id", flat=True).union(linked))
    if not candidates:
        return 0
    return (
        Thread.objects.visible()
        .filter(pk__in=candidates, created_at__gt=since)
        .exclude(pk__in=sources.filter(post__isnull=False).values("thread_id"))
        .count()
    )


def _cluster(article: Article) -> int | None:
    """The cluster to show staff: that of the question it was promoted from, else of the
    first question it resolves (one query)."""
    return (
        ArticleSource.objects.filter(article_id=article.pk, thread__cluster_membership__isnull=False)
        .order_by(F("post_id").desc(nulls_last=True), "created_at", "id")
        .values_list("thread__cluster_membership__cluster_id", flat=True)
        .first()
    )


def recent_votes(article: Article, since: datetime, n: int) -> list[bool]:
    """The article's last `n` votes cast after `since`, newest first (one query)."""
    votes = HelpfulVote.objects.filter(article_id=article.pk, created_at__gte=since)
    return list(votes.order_by("-created_at", "-id").values_list("helpful", flat=True)[:n])


def evaluate(article: Article, now: datetime, c: Cuts) -> list[dict]:
    """The reasons this article needs review now ([] if none): three queries for a
    published article (four when questions joined), none for another (only published
    articles are judged)."""
    since = live_since(article)
    if article.status != Article.Status.PUBLISHED or since is None:
        return []
    reasons = []
    joined = new_threads(article, since)
    if joined >= c.new_threads:
        reasons.append(
            {"kind": THREADS, "count": joined, "since": since.isoformat(), "cluster": _cluster(article)}
        )
    votes = recent_votes(article, since, c.votes)
    helpful = sum(votes)
    if len(votes) >= c.votes and helpful * 100 < c.helpful_percent * len(votes):
        reasons.append({"kind": VOTES, "helpful": helpful, "of": len(votes)})
    reviewed = last_reviewed(article)
    if now - reviewed >= timedelta(days=c.days):
        reasons.append({"kind": STALE, "since": reviewed.isoformat()})
    return reasons


# --- keeping the stored verdict ----------------------------------------------------------


def _store(article: Article, reasons: list[dict], now: datetime) -> None:
    flagged = bool(reasons)
    if flagged == article.needs_review and reasons == article.review_reasons:
        return  # unchanged: no write
    Article.objects.filter(pk=article.pk).update(
        needs_review=flagged,
        review_reasons=reasons,
        # Since when it has been flagged, kept while the reasons change.
        review_flagged_at=(article.review_flagged_at or now) if flagged else None,
    )


def recompute(article_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Judge these articles again from their rows and store the verdicts; returns how
    many are flagged. Idempotent. Called inside the transaction of the action that
    changed an input, so the verdict commits (or not) with the change."""
    now = now or timezone.now()
    c = cuts()
    flagged = 0
    for article in Article.objects.filter(pk__in=list(article_ids)).order_by("pk"):
        reasons = evaluate(article, now, c)
        _store(article, reasons, now)
        flagged += bool(reasons)
    return flagged


def recompute_all(*, now: datetime | None = None) -> int:
    """The beat job: every published article, in batches; an unpublished one still
    flagged is cleared. Returns how many are flagged."""
    now = now or timezone.now()
    Article.objects.exclude(status=Article.Status.PUBLISHED).filter(needs_review=True).update(
        needs_review=False, review_reasons=[], review_flagged_at=None
    )
    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    return sum(recompute(ids[i : i + BATCH], now=now) for i in range(0, len(ids), BATCH))


def clusters_changed(thread_ids: set[int]) -> None:
    """duplicates' "clusters changed" hook: judge again the published articles that
    resolve these threads or a thread in their clusters. Inside the deciding transaction."""
    clusters = ClusterMembership.objects.filter(thread_id__in=thread_ids).values("cluster_id")
    article_ids = set(
        ArticleSource.objects.filter(article__status=Article.Status.PUBLISHED)
        .filter(Q(thread_id__in=thread_ids) | Q(thread__cluster_membership__cluster_id__in=clusters))
        .values_list("article_id", flat=True)
    )
    if article_ids:
        recompute(article_ids)


# --- reads and words ---------------------------------------------------------------------


def flagged_articles(limit: int = LIST_SIZE) -> list[Article]:
    """Published articles that need review, longest flagged first, with their category (one query)."""
    return list(Article.objects.needing_review().for_list()[:limit])
