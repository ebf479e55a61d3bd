"""Ranking metrics with the official SemEval-2016 Task 3 conventions.

Every function takes, per query, the binary relevance list in system order
(``rankings[q][k]`` is True when the candidate at rank k+1 is a positive). Use
``rank_by_score`` to get that order: ties keep the shipped candidate order, as the
official scorer's stable sort does.

Conventions (pack README, official ``ev.py`` run without ``--ignore_noanswer``):
- AP is the mean of precision@k over the ranks k that hold a positive; a query with
  no positive has AP = 0 and still counts in MAP's denominator.
- MRR: 1/rank of the first positive, 0 when there is none.
- AvgRec is the official ``avg_acc1``: for k = 1..depth, (positives in top k summed
  over queries) / (sum over queries of min(k, positives in the whole list)),
  averaged over k.
- P@k = positives in the top k / k, averaged over all queries (not official).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Ranking = Sequence[bool]

DEPTH = 10  # the official scorer looks at the top 10


def rank_by_score(relevance: Sequence[bool], scores: Sequence[float]) -> list[bool]:
    """Relevance in descending score order; equal scores keep their given order."""
    if len(relevance) != len(scores):
        raise ValueError("relevance and scores differ in length")
    order = sorted(range(len(scores)), key=lambda i: -scores[i])  # sorted() is stable
    return [bool(relevance[i]) for i in order]


def average_precision(ranking: Ranking, depth: int = DEPTH) -> float:
    hits = 0
    total = 0.0
    for k, relevant in enumerate(ranking[:depth], start=1):
        if relevant:
            hits += 1
            total += hits / k
    return total / hits if hits else 0.0


def reciprocal_rank(ranking: Ranking, depth: int = DEPTH) -> float:
    for k, relevant in enumerate(ranking[:depth], start=1):
        if relevant:
            return 1.0 / k
    return 0.0


def precision_at(ranking: Ranking, k: int) -> float:
    return sum(1 for relevant in ranking[:k] if relevant) / k


def mean_average_precision(rankings: Sequence[Ranking], depth: int = DEPTH) -> float:
    return _mean([average_precision(r, depth) for r in rankings])


def mean_reciprocal_rank(rankings: Sequence[Ranking], depth: int = DEPTH) -> float:
    return _mean([reciprocal_rank(r, depth) for r in rankings])


def mean_precision_at(rankings: Sequence[Ranking], k: int) -> float:
    return _mean([precision_at(r, k) for r in rankings])


def average_recall(rankings: Sequence[Ranking], depth: int = DEPTH) -> float:
    """The official ``avg_acc1``: recall at each cut-off 1..depth, pooled, then averaged."""
    per_cutoff = []
    for k in range(1, depth + 1):
        found = sum(sum(1 for relevant in r[:k] if relevant) for r in rankings)
        possible = sum(min(k, sum(1 for relevant in r if relevant)) for r in rankings)
        per_cutoff.append(found / possible if possible else 0.0)
    return _mean(per_cutoff)


@dataclass(frozen=True)
class Report:
    """The five figures, as fractions in [0, 1]."""

    map: float
    mrr: float
    avg_rec: float
    p_at_1: float
    p_at_5: float
    queries: int

    def as_percentages(self) -> dict[str, float]:
        return {
            "MAP": round(100 * self.map, 2),
            "MRR": round(100 * self.mrr, 2),
            "AvgRec": round(100 * self.avg_rec, 2),
            "P@1": round(100 * self.p_at_1, 2),
            "P@5": round(100 * self.p_at_5, 2),
        }


def evaluate(rankings: Sequence[Ranking]) -> Report:
    return Report(
        map=mean_average_precision(rankings),
        mrr=mean_reciprocal_rank(rankings),
        avg_rec=average_recall(rankings),
        p_at_1=mean_precision_at(rankings, 1),
        p_at_5=mean_precision_at(rankings, 5),
        queries=len(rankings),
    )


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
