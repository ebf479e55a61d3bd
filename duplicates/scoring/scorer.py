"""The duplicate-question scorer: one re-ranker for the linking job, the "similar
threads" panel and the evaluation command (there is no path special to evaluation).

Input: a query thread, its candidate threads in the search engine's order (with the
engine's rank of each, when known) and corpus statistics. Output: a score per
candidate and an ``is_duplicate`` decision by threshold. Features are cheap lexical
signals; they are combined linearly with the weights in ``weights.py``, fitted on the
training pack by ``manage.py fit_duplicates`` (see docs/duplicates.md).

Usage::

    stats = CorpusStats.from_threads(all_threads)   # or cached; see CorpusStats
    for result in score_candidates(query, candidates, stats, ranks):
        result.candidate.id, result.score, result.is_duplicate
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from . import text, weights

# Okapi BM25 constants: the textbook values. A grid over k1 in {0.6, 1.2, 2} and
# b in {0, 0.3, 0.5, 0.75} changed train cross-validated MAP of the fitted model by
# under 0.2 points, so nothing is tuned here.
K1 = 1.2
B = 0.75

# Centrality compares a candidate with the first HEAD candidates of the search
# order, so its meaning does not change with how many candidates the caller fetched
# (the packs have 10; the product fetches ~50).
HEAD = 10


@dataclass(frozen=True)
class ThreadText:
    """The text of one thread, as the scorer sees it (no database row needed)."""

    id: str | int
    title: str
    body: str = ""
    tags: tuple[str, ...] = ()
    category: str = ""


@dataclass(frozen=True)
class Scored:
    candidate: ThreadText
    score: float
    is_duplicate: bool
    features: Mapping[str, float]


@dataclass
class CorpusStats:
    """Document frequencies of stemmed terms over a background collection of threads.

    In the product the collection is the site's threads; in evaluation, the pack's
    own texts. A document is a thread's title + body; a term counts once per
    document. ``df`` may be any mapping (a Counter built here, or a lookup into a
    cached table).
    """

    doc_count: int = 0
    df: Mapping[str, int] = field(default_factory=Counter)
    total_title_len: int = 0
    total_body_len: int = 0

    @classmethod
    def from_threads(cls, threads: Iterable[ThreadText]) -> CorpusStats:
        stats = cls(df=Counter())
        for thread in threads:
            stats.add(thread)
        return stats

    def add(self, thread: ThreadText) -> None:
        a = _Analysed.of(thread)
        self.doc_count += 1
        self.df.update(a.full.keys())  # type: ignore[attr-defined]
        self.total_title_len += sum(a.title.values())
        self.total_body_len += sum(a.body.values())

    def idf(self, term: str) -> float:
        """Okapi/Lucene IDF, never negative; an unseen term is as rare as can be."""
        n = max(self.doc_count, 1)
        df = min(self.df.get(term, 0), n)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    @property
    def avg_full_len(self) -> float:
        if not self.doc_count:
            return 1.0
        return (self.total_title_len + self.total_body_len) / self.doc_count


@dataclass
class _Analysed:
    title: Counter[str]
    body: Counter[str]
    full: Counter[str]

    @classmethod
    def of(cls, thread: ThreadText) -> _Analysed:
        title = text.term_counts(thread.title)
        body = text.term_counts(thread.body)
        return cls(title=title, body=body, full=title + body)


def _bm25(query: Counter[str], doc: Counter[str], avg_len: float, stats: CorpusStats) -> float:
    if not doc:
        return 0.0
    norm = K1 * (1 - B + B * sum(doc.values()) / max(avg_len, 1e-9))
    score = 0.0
    for term, qtf in query.items():
        tf = doc.get(term)
        if tf:
            score += qtf * stats.idf(term) * tf * (K1 + 1) / (tf + norm)
    return score


def _bm25_ceiling(query: Counter[str], stats: CorpusStats) -> float:
    """The BM25 a document would approach by matching every query term often: dividing
    by it puts BM25 on a 0..1 scale comparable across queries (one threshold for all)."""
    return sum(qtf * stats.idf(t) * (K1 + 1) for t, qtf in query.items()) or 1.0


def _unit_tfidf(counts: Counter[str], stats: CorpusStats) -> dict[str, float]:
    weighted = {t: (1 + math.log(c)) * stats.idf(t) for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in weighted.values()))
    return {t: w / norm for t, w in weighted.items()} if norm else {}


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _idf_coverage(terms: Iterable[str], doc: Counter[str], stats: CorpusStats) -> float:
    """Share of the terms' IDF mass (each distinct term once) that the document contains."""
    distinct = set(terms)
    total = sum(stats.idf(t) for t in distinct)
    return sum(stats.idf(t) for t in distinct if t in doc) / total if total else 0.0


def candidate_features(
    query: ThreadText,
    candidates: Sequence[ThreadText],
    stats: CorpusStats,
    ranks: Sequence[int] | None = None,
) -> list[dict[str, float]]:
    """The features of each (query, candidate) pair, in the candidates' order.

    ``candidates`` come in the search engine's order; ``ranks`` are the engine's
    1-based ranks of them (default: their positions 1..n).
    """
    if ranks is None:
        ranks = range(1, len(candidates) + 1)
    if len(ranks) != len(candidates):
        raise ValueError("one rank per candidate")
    q = _Analysed.of(query)
    ceiling = _bm25_ceiling(q.full, stats)
    analysed = [_Analysed.of(c) for c in candidates]
    vectors = [_unit_tfidf(a.full, stats) for a in analysed]
    head = vectors[:HEAD]
    q_tags = {t.lower() for t in query.tags}

    rows = []
    for i, (candidate, c, rank) in enumerate(zip(candidates, analysed, ranks, strict=True)):
        others = [v for j, v in enumerate(head) if j != i]
        c_tags = {t.lower() for t in candidate.tags}
        rows.append(
            {
                # How well the candidate answers the query's words (Okapi BM25, title+body).
                "bm25": _bm25(q.full, c.full, stats.avg_full_len, stats) / ceiling,
                # The search engine's own judgement, which sees more than words.
                "search_rank": 1.0 / rank if rank and rank > 0 else 0.0,
                # Cluster hypothesis: threads on the list's main topic resemble each other.
                "centrality": sum(_dot(vectors[i], v) for v in others) / len(others) if others else 0.0,
                # Is the candidate's title (its whole question, usually) inside the query?
                "title_coverage": _idf_coverage(c.title, q.full, stats),
                # Product-only signals: the packs have no query category or tags.
                "same_category": 1.0 if query.category and query.category == candidate.category else 0.0,
                "shared_tags": len(q_tags & c_tags) / len(q_tags | c_tags) if q_tags and c_tags else 0.0,
            }
        )
    return rows


def combine(features: Mapping[str, float], model: Mapping[str, float] | None = None) -> float:
    model = weights.WEIGHTS if model is None else model
    return sum(w * features.get(name, 0.0) for name, w in model.items())


def score_candidates(
    query: ThreadText,
    candidates: Sequence[ThreadText],
    stats: CorpusStats,
    ranks: Sequence[int] | None = None,
    *,
    model: Mapping[str, float] | None = None,
    threshold: float | None = None,
) -> list[Scored]:
    """Score each candidate against the query; the result keeps the candidates' order.

    Sort with ``sorted(results, key=lambda r: -r.score)`` (stable: ties keep the
    search engine's order). ``is_duplicate`` is ``score >= threshold``.
    """
    threshold = weights.THRESHOLD if threshold is None else threshold
    results = []
    for candidate, feats in zip(candidates, candidate_features(query, candidates, stats, ranks), strict=True):
        score = combine(feats, model)
        results.append(Scored(candidate, score, score >= threshold, feats))
    return results


def suggests(result: Scored, threshold: float, min_text_match: float) -> bool:
    """The product's suggestion rule: score at least `threshold` AND a bm25 feature of at
    least `min_text_match` (so search rank alone cannot make a link). The product reads
    both from settings (duplicates.linking.suggests); evaluation gets them passed in."""
    return result.score >= threshold and result.features.get("bm25", 0.0) >= min_text_match
