"""Where to cut "near-identical" for repeated firefighting (desk/firefight.py, issue 13
item 4): precision and recall of `similarity >= cut` on the labelled reply pairs of
tests/desk/firefight_pairs.py, for a range of cuts.

    .venv/bin/python bench/firefight_threshold.py

A pair counts as predicted "same" when both replies have at least MIN_TERMS content
terms (shorter ones are never grouped) and their cosine is at least the cut. Needs no
database: the similarity is pure text (the IDF is the labelled set's own).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from desk import firefight  # noqa: E402
from tests.desk import firefight_pairs  # noqa: E402

CUTS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9]


def scores() -> tuple[list[tuple[float, bool]], list[tuple[str, str, float, bool]]]:
    texts = [t for _, t in firefight_pairs.replies()]
    labels = [label for label, _ in firefight_pairs.replies()]
    long_enough = [sum(firefight.reply_terms(t).values()) >= firefight.MIN_TERMS for t in texts]
    matrix = firefight.similarities(texts)
    out, detail = [], []
    for i, j, same in firefight_pairs.pairs():
        s = matrix[i][j] if long_enough[i] and long_enough[j] else 0.0
        out.append((s, same))
        detail.append((labels[i], labels[j], s, same))
    return out, detail


def table(pairs: list[tuple[float, bool]], cuts=CUTS) -> list[tuple[float, int, int, int, float, float]]:
    """(cut, true positives, false positives, false negatives, precision, recall)."""
    rows = []
    positives = sum(1 for _, same in pairs if same)
    for cut in cuts:
        tp = sum(1 for s, same in pairs if same and s >= cut)
        fp = sum(1 for s, same in pairs if not same and s >= cut)
        fn = positives - tp
        precision = tp / (tp + fp) if tp + fp else 1.0
        rows.append((cut, tp, fp, fn, precision, tp / positives if positives else 1.0))
    return rows


def main() -> None:
    pairs, detail = scores()
    positives = sum(1 for _, same in pairs if same)
    sys.stdout.write(
        f"{len(firefight_pairs.replies())} replies, {len(pairs)} pairs, {positives} positive "
        f"(MIN_TERMS={firefight.MIN_TERMS}, chosen cut {firefight.MIN_SIMILARITY})\n"
    )
    sys.stdout.write("cut   TP  FP  FN  precision  recall\n")
    for cut, tp, fp, fn, precision, recall in table(pairs):
        sys.stdout.write(f"{cut:<5} {tp:>3} {fp:>3} {fn:>3}  {precision:9.3f}  {recall:6.3f}\n")
    sys.stdout.write("\nlowest positive pairs and highest negative pairs:\n")
    pos = sorted((d for d in detail if d[3]), key=lambda d: d[2])[:5]
    neg = sorted((d for d in detail if not d[3]), key=lambda d: -d[2])[:5]
    for a, b, s, same in pos + neg:
        sys.stdout.write(f"  {'same' if same else 'diff'}  {s:.3f}  {a} / {b}\n")
    sys.stdout.write("\nthe gap (highest different-fix pair, lowest same-fix pair) by MIN_CORPUS:\n")
    chosen = firefight.MIN_CORPUS
    for floor in (37, 100, 300, 1000, 3000, 10000):
        firefight.MIN_CORPUS = floor
        pairs, _ = scores()
        top_neg = max(s for s, same in pairs if not same)
        low_pos = min(s for s, same in pairs if same)
        sys.stdout.write(f"  {floor:>6}: {top_neg:.3f} .. {low_pos:.3f}\n")
    firefight.MIN_CORPUS = chosen


if __name__ == "__main__":
    main()
