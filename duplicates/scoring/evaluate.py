"""Evaluate the product scorer on a labelled pack, beside the pack's IR order and BM25.

Everything is in memory; the site's database is never touched. The scorer is called
exactly as the product calls it (``score_candidates`` with the search engine's ranks),
with IDF over the pack's own texts standing in for the site's threads.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from . import metrics, weights
from .packs import Pack
from .scorer import CorpusStats, score_candidates, suggests

SYSTEMS = ("IR baseline", "BM25", "Onefix scorer")


@dataclass
class Decisions:
    """Quality of the is_duplicate decision (threshold from weights.py) over all pairs."""

    threshold: float
    true_pos: int
    false_pos: int
    false_neg: int
    true_neg: int

    @property
    def precision(self) -> float:
        flagged = self.true_pos + self.false_pos
        return self.true_pos / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        positives = self.true_pos + self.false_neg
        return self.true_pos / positives if positives else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        total = self.true_pos + self.false_pos + self.false_neg + self.true_neg
        return (self.true_pos + self.true_neg) / total if total else 0.0


@dataclass
class Evaluation:
    queries: int
    pairs: int
    positives: int
    queries_without_positive: int
    background_texts: int
    reports: dict[str, metrics.Report]
    decisions: Decisions
    # The product's suggestion rule (duplicates.linking.suggests) on the same scores.
    suggestions: Decisions
    scoring_seconds: float
    average_precisions: dict[str, list[float]]

    def gain_over(self, baseline: str, system: str = "Onefix scorer") -> tuple[float, float]:
        """Mean per-query AP gain of ``system`` over ``baseline`` and its standard error:
        with ~50 queries, a gain within two standard errors may be noise."""
        diffs = [
            s - b
            for s, b in zip(self.average_precisions[system], self.average_precisions[baseline], strict=True)
        ]
        n = len(diffs)
        mean = sum(diffs) / n
        var = sum((d - mean) ** 2 for d in diffs) / (n - 1) if n > 1 else 0.0
        return mean, math.sqrt(var / n)

    @property
    def microseconds_per_pair(self) -> float:
        return 1e6 * self.scoring_seconds / self.pairs if self.pairs else 0.0


def evaluate_pack(pack: Pack, *, link_threshold: float, min_text_match: float) -> Evaluation:
    """Score every query of the pack. `link_threshold` and `min_text_match` are the
    product's suggestion rule (settings.DUPLICATE_*), reported beside the fitted cut."""
    threads = pack.threads()
    # Building the IDF table is a one-off per corpus (cached in the product), so it is
    # outside the timed per-pair cost.
    stats = CorpusStats.from_threads(threads)

    rankings: dict[str, list[list[bool]]] = {name: [] for name in SYSTEMS}
    tp = fp = fn = tn = 0
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    started = time.perf_counter()
    for q in pack.queries:
        results = score_candidates(q.query, q.candidates, stats, q.ir_ranks)
        rankings["IR baseline"].append(metrics.rank_by_score(q.relevant, [-r for r in q.ir_ranks]))
        rankings["BM25"].append(metrics.rank_by_score(q.relevant, [r.features["bm25"] for r in results]))
        rankings["Onefix scorer"].append(metrics.rank_by_score(q.relevant, [r.score for r in results]))
        for result, relevant in zip(results, q.relevant, strict=True):
            tp += result.is_duplicate and relevant
            fp += result.is_duplicate and not relevant
            fn += not result.is_duplicate and relevant
            tn += not result.is_duplicate and not relevant
            shown = suggests(result, link_threshold, min_text_match)
            counts[("t" if shown == relevant else "f") + ("p" if shown else "n")] += 1
    scoring_seconds = time.perf_counter() - started

    return Evaluation(
        queries=len(pack.queries),
        pairs=sum(len(q.candidates) for q in pack.queries),
        positives=sum(sum(q.relevant) for q in pack.queries),
        queries_without_positive=sum(1 for q in pack.queries if not any(q.relevant)),
        background_texts=len(threads),
        reports={name: metrics.evaluate(r) for name, r in rankings.items()},
        decisions=Decisions(weights.THRESHOLD, tp, fp, fn, tn),
        suggestions=Decisions(link_threshold, counts["tp"], counts["fp"], counts["fn"], counts["tn"]),
        scoring_seconds=scoring_seconds,
        average_precisions={
            name: [metrics.average_precision(r) for r in ranked] for name, ranked in rankings.items()
        },
    )
