"""Fitting the scorer's weights on a labelled pack, in plain Python (no NumPy here).

The model is linear in the features of ``scorer.candidate_features``. Two fits are
offered:
- ``pointwise``: L2-regularised logistic regression of "positive?" on the features;
- ``pairwise``: logistic regression on feature differences of (positive, negative)
  pairs of the same query (RankNet with a linear model), which optimises the order
  within a query - what MAP rewards.
Both are solved by Newton's method on standardised features; the weights are then
mapped back onto the raw features so the scorer needs no scaler.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from . import metrics
from .packs import Pack
from .scorer import CorpusStats, candidate_features

# The features whose weights are fitted. same_category and shared_tags are not: the
# packs carry no category or tags for the query, so their weights are set by hand.
FITTED = ("bm25", "search_rank", "centrality", "title_coverage")


@dataclass
class Example:
    query_index: int
    features: dict[str, float]
    relevant: bool


def pack_examples(pack: Pack) -> list[Example]:
    """Features of every (query, candidate) pair, with IDF over the pack's own texts:
    exactly what ``evaluate_duplicates`` scores."""
    stats = CorpusStats.from_threads(pack.threads())
    examples = []
    for qi, q in enumerate(pack.queries):
        rows = candidate_features(q.query, q.candidates, stats, q.ir_ranks)
        examples += [Example(qi, feats, relevant) for feats, relevant in zip(rows, q.relevant, strict=True)]
    return examples


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the systems here are ~20x20)."""
    n = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            continue
        for r in range(col + 1, n):
            f = a[r][col] / a[col][col]
            if f:
                for k in range(col, n + 1):
                    a[r][k] -= f * a[col][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        if abs(a[r][r]) < 1e-12:
            continue
        x[r] = (a[r][n] - sum(a[r][k] * x[k] for k in range(r + 1, n))) / a[r][r]
    return x


def logistic_regression(
    rows: Sequence[Sequence[float]],
    labels: Sequence[float],
    l2: float = 1.0,
    intercept: bool = True,
    iterations: int = 50,
) -> tuple[list[float], float]:
    """Newton's method for L2-regularised logistic loss (the intercept is not penalised)."""
    d = len(rows[0]) if rows else 0
    w = [0.0] * d
    b = 0.0
    for _ in range(iterations):
        size = d + 1 if intercept else d
        grad = [0.0] * size
        hess = [[0.0] * size for _ in range(size)]
        for x, y in zip(rows, labels, strict=True):
            z = b + sum(wi * xi for wi, xi in zip(w, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(min(z, 35.0), -35.0)))
            xe = [*x, 1.0] if intercept else list(x)
            g = p - y
            h = p * (1 - p)
            for i in range(size):
                grad[i] += g * xe[i]
                hi = h * xe[i]
                row = hess[i]
                for j in range(i, size):
                    row[j] += hi * xe[j]
        for i in range(size):
            for j in range(i):
                hess[i][j] = hess[j][i]
        for i in range(d):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        if intercept:
            hess[d][d] += 1e-9
        step = _solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step[:d], strict=True)]
        if intercept:
            b -= step[d]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w, b


@dataclass
class Model:
    """Linear weights on raw features. There is no bias: a constant does not change a
    ranking, and the is-duplicate threshold absorbs it."""

    weights: dict[str, float]

    def score(self, features: dict[str, float]) -> float:
        return sum(w * features.get(name, 0.0) for name, w in self.weights.items())


def fit(
    examples: Sequence[Example], names: Sequence[str], method: str = "pairwise", l2: float = 1.0
) -> Model:
    """Fit weights for the named features; returns weights on the raw (unscaled) features."""
    n = len(examples)
    means = [sum(e.features[f] for e in examples) / n for f in names]
    stds = []
    for f, m in zip(names, means, strict=True):
        var = sum((e.features[f] - m) ** 2 for e in examples) / n
        stds.append(math.sqrt(var) or 1.0)

    def scaled(e: Example) -> list[float]:
        return [(e.features[f] - m) / s for f, m, s in zip(names, means, stds, strict=True)]

    if method == "pointwise":
        rows = [scaled(e) for e in examples]
        w, _ = logistic_regression(rows, [1.0 if e.relevant else 0.0 for e in examples], l2=l2)
    elif method == "pairwise":
        by_query: dict[int, list[list[float]]] = {}
        positives: dict[int, list[list[float]]] = {}
        for e in examples:
            (positives if e.relevant else by_query).setdefault(e.query_index, []).append(scaled(e))
        rows, labels = [], []
        flip = False
        for qi, pos in positives.items():
            for p in pos:
                for neg in by_query.get(qi, []):
                    diff = [a - c for a, c in zip(p, neg, strict=True)]
                    # Alternate the sign so both classes appear; the model has no intercept.
                    rows.append([-v for v in diff] if flip else diff)
                    labels.append(0.0 if flip else 1.0)
                    flip = not flip
        w, _ = logistic_regression(rows, labels, l2=l2, intercept=False)
    else:
        raise ValueError(f"unknown method {method!r}")
    return Model({f: wi / s for f, wi, s in zip(names, w, stds, strict=True)})


def rankings(examples: Sequence[Example], model: Model) -> list[list[bool]]:
    grouped: dict[int, list[Example]] = {}
    for e in examples:
        grouped.setdefault(e.query_index, []).append(e)
    return [
        metrics.rank_by_score([e.relevant for e in group], [model.score(e.features) for e in group])
        for _, group in sorted(grouped.items())
    ]


def cross_validate(
    examples: Sequence[Example],
    names: Sequence[str],
    method: str = "pairwise",
    l2: float = 1.0,
    folds: int = 5,
    repeats: int = 4,
    seed: int = 2016,
) -> metrics.Report:
    """Held-out metrics over query folds (queries, not pairs, are split), averaged over
    ``repeats`` reshuffles of the folds."""
    query_ids = sorted({e.query_index for e in examples})
    rng = random.Random(seed)  # noqa: S311 - shuffles folds reproducibly, not a secret
    reports = []
    for _ in range(repeats):
        shuffled = query_ids[:]
        rng.shuffle(shuffled)
        held: list[list[bool]] = []
        for k in range(folds):
            test = set(shuffled[k::folds])
            model = fit([e for e in examples if e.query_index not in test], names, method, l2)
            held += rankings([e for e in examples if e.query_index in test], model)
        reports.append(metrics.evaluate(held))
    return metrics.Report(
        map=sum(r.map for r in reports) / repeats,
        mrr=sum(r.mrr for r in reports) / repeats,
        avg_rec=sum(r.avg_rec for r in reports) / repeats,
        p_at_1=sum(r.p_at_1 for r in reports) / repeats,
        p_at_5=sum(r.p_at_5 for r in reports) / repeats,
        queries=len(query_ids),
    )


def best_threshold(examples: Sequence[Example], model: Model) -> float:
    """The score cut-off that maximises F1 of the is-duplicate decision on these examples."""
    scored = sorted(((model.score(e.features), e.relevant) for e in examples), reverse=True)
    positives = sum(1 for _, r in scored if r)
    best_f1, best_cut, tp = -1.0, scored[0][0] if scored else 0.0, 0
    for i, (score, relevant) in enumerate(scored):
        tp += relevant
        if i + 1 < len(scored) and scored[i + 1][0] == score:
            continue
        f1 = 2 * tp / (i + 1 + positives) if positives else 0.0
        if f1 > best_f1:
            nxt = scored[i + 1][0] if i + 1 < len(scored) else score - 1.0
            best_f1, best_cut = f1, (score + nxt) / 2
    return best_cut


# The fit that weights.py records; fit_duplicates uses these, tests check them.
METHOD = "pairwise"
L2 = 1.0


@dataclass
class FitResult:
    model: Model
    threshold: float
    cross_validated: metrics.Report
    in_sample: metrics.Report


def fit_pack(pack: Pack, method: str = METHOD, l2: float = L2) -> FitResult:
    """Fit the FITTED weights on a labelled pack and choose the is-duplicate threshold."""
    examples = pack_examples(pack)
    model = fit(examples, FITTED, method, l2)
    return FitResult(
        model=model,
        threshold=best_threshold(examples, model),
        cross_validated=cross_validate(examples, FITTED, method, l2),
        in_sample=metrics.evaluate(rankings(examples, model)),
    )


def render_weights_module(result: FitResult, hand_set: dict[str, float], command: str, when: str) -> str:
    """The text of weights.py for a fit (what ``fit_duplicates --write`` stores)."""
    lines = [
        '"""Weights and threshold of the duplicate scorer (generated: do not edit by hand).',
        "",
        f"Obtained on {when} with:",
        f"    {command}",
        f"i.e. {METHOD} logistic regression (RankNet, linear) with L2 = {L2} on standardised",
        "features, over every (positive, negative) candidate pair of each training query; the",
        "weights are mapped back onto the raw features. THRESHOLD maximises the F1 of the",
        "is-duplicate decision over the training pairs. Train MAP: "
        f"{100 * result.in_sample.map:.2f} in sample, {100 * result.cross_validated.map:.2f} in 5-fold",
        "cross-validation over queries (4 repeats). No dev label was used.",
        "",
        "same_category and shared_tags are NOT fitted (the packs have no category or tags for",
        "the query); they are set by hand to a moderate nudge and are unvalidated.",
        '"""',
        "",
        "WEIGHTS = {",
    ]
    for name, weight in result.model.weights.items():
        lines.append(f'    "{name}": {weight:.6f},')
    for name, weight in hand_set.items():
        lines.append(f'    "{name}": {weight:.6f},  # hand-set, see above')
    lines += ["}", f"THRESHOLD = {result.threshold:.6f}", ""]
    return "\n".join(lines)
