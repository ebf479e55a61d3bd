"""Score a labelled pack with the product's duplicate scorer; print the official metrics.

python manage.py evaluate_duplicates ../shared/data/semeval2016-task3b-dev [--json]
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError

from duplicates.linking import min_text_match, threshold
from duplicates.scoring.evaluate import evaluate_pack
from duplicates.scoring.packs import PackError, read_pack


class Command(BaseCommand):
    help = (
        "Evaluate the duplicate scorer on a pack (queries.jsonl + corpus.jsonl): MAP, MRR, "
        "AvgRec, P@1, P@5 with the official SemEval-2016 conventions, beside the pack's IR order "
        "and plain BM25. Reads the pack only; the site's database is not touched."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("pack_dir", help="directory holding queries.jsonl and corpus.jsonl")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, pack_dir, **options):
        started = time.perf_counter()
        try:
            pack = read_pack(pack_dir)
        except PackError as exc:
            raise CommandError(str(exc)) from None
        ev = evaluate_pack(pack, link_threshold=threshold(), min_text_match=min_text_match())
        elapsed = time.perf_counter() - started
        if options["json"]:
            self.stdout.write(_as_json(pack_dir, ev, elapsed))
        else:
            self.stdout.write(_as_text(pack_dir, ev, elapsed))


def _as_json(pack_dir, ev, elapsed) -> str:
    d = ev.decisions
    return json.dumps(
        {
            "pack": str(pack_dir),
            "queries": ev.queries,
            "pairs": ev.pairs,
            "positives": ev.positives,
            "queries_without_positive": ev.queries_without_positive,
            "systems": {name: report.as_percentages() for name, report in ev.reports.items()},
            "decision": {
                "threshold": d.threshold,
                "precision": round(100 * d.precision, 2),
                "recall": round(100 * d.recall, 2),
                "f1": round(100 * d.f1, 2),
                "accuracy": round(100 * d.accuracy, 2),
            },
            "product_suggestion_rule": {
                "threshold": ev.suggestions.threshold,
                "min_text_match": min_text_match(),
                "precision": round(100 * ev.suggestions.precision, 2),
                "recall": round(100 * ev.suggestions.recall, 2),
                "flagged": ev.suggestions.true_pos + ev.suggestions.false_pos,
            },
            "map_gain": {
                baseline: dict(zip(("mean", "standard_error"), _pct(ev.gain_over(baseline)), strict=True))
                for baseline in ("IR baseline", "BM25")
            },
            "microseconds_per_pair": round(ev.microseconds_per_pair, 1),
            "seconds": round(elapsed, 2),
        },
        indent=2,
    )


def _as_text(pack_dir, ev, elapsed) -> str:
    d = ev.decisions
    lines = [
        f"Pack {pack_dir}: {ev.queries} queries, {ev.pairs} candidates, {ev.positives} positive, "
        f"{ev.queries_without_positive} queries with no positive.",
        "Official SemEval-2016 conventions: MAP over all queries (no positive = AP 0), top 10, "
        "ties keep the shipped order.",
        "",
        f"{'system':<16}{'MAP':>8}{'MRR':>8}{'AvgRec':>8}{'P@1':>8}{'P@5':>8}",
    ]
    for name, report in ev.reports.items():
        p = report.as_percentages()
        lines.append(
            f"{name:<16}{p['MAP']:>8.2f}{p['MRR']:>8.2f}{p['AvgRec']:>8.2f}{p['P@1']:>8.2f}{p['P@5']:>8.2f}"
        )
    ir_gain, ir_se = _pct(ev.gain_over("IR baseline"))
    bm_gain, bm_se = _pct(ev.gain_over("BM25"))
    lines += [
        "",
        "IR baseline = the pack's search-engine order (ir_ranks); BM25 = stemmed Okapi BM25 over "
        "title+body; IDF over the pack's texts.",
        f"Scorer's MAP gain per query (mean +- standard error): over IR baseline {ir_gain:+.2f} +- "
        f"{ir_se:.2f}, over BM25 {bm_gain:+.2f} +- {bm_se:.2f}.",
        f"is_duplicate (score >= {d.threshold:.3f}): precision {100 * d.precision:.2f}, "
        f"recall {100 * d.recall:.2f}, F1 {100 * d.f1:.2f}, accuracy {100 * d.accuracy:.2f} "
        f"({d.true_pos + d.false_pos} of {ev.pairs} pairs flagged).",
        f"Product suggestion rule (score >= {ev.suggestions.threshold:.1f} and bm25 >= "
        f"{min_text_match():.2f}; see docs/duplicates.md): precision {100 * ev.suggestions.precision:.2f}, "
        f"recall {100 * ev.suggestions.recall:.2f} "
        f"({ev.suggestions.true_pos + ev.suggestions.false_pos} of {ev.pairs} pairs suggested).",
        f"Scoring cost: {ev.microseconds_per_pair:.0f} us per pair ({ev.pairs} pairs in "
        f"{ev.scoring_seconds:.3f} s); whole run {elapsed:.2f} s.",
    ]
    return "\n".join(lines)


def _pct(pair: tuple[float, float]) -> tuple[float, float]:
    return round(100 * pair[0], 2), round(100 * pair[1], 2)
