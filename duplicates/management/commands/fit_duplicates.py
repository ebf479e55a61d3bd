"""Fit the duplicate scorer's weights and threshold on a TRAINING pack.

    python manage.py fit_duplicates ../shared/data/semeval2016-task3b-train [--write]

Without --write it prints the weights module it would store; with --write it
rewrites duplicates/scoring/weights.py. Never run it on the dev pack: dev is for checking.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from duplicates.scoring import fit, weights
from duplicates.scoring.packs import PackError, read_pack

# Not fitted (the packs have no query category or tags): a moderate nudge by hand.
HAND_SET = {"same_category": 0.5, "shared_tags": 1.0}


class Command(BaseCommand):
    help = "Fit the duplicate scorer's weights on a labelled training pack (pure Python, ~1 s)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("pack_dir", help="training pack: queries.jsonl and corpus.jsonl")
        parser.add_argument("--write", action="store_true", help="rewrite duplicates/scoring/weights.py")

    def handle(self, pack_dir, **options):
        try:
            pack = read_pack(pack_dir)
        except PackError as exc:
            raise CommandError(str(exc)) from None
        result = fit.fit_pack(pack)
        command = f"python manage.py fit_duplicates {pack_dir} --write"
        module = fit.render_weights_module(result, HAND_SET, command, timezone.localdate().isoformat())
        self.stderr.write(f"{fit.METHOD} fit on {len(pack.queries)} queries of {pack_dir}")
        self.stderr.write(f"{'':<32}{'MAP':>8}{'MRR':>8}{'AvgRec':>8}{'P@1':>8}{'P@5':>8}")
        for label, report in (
            ("in sample", result.in_sample),
            ("5-fold CV over queries (x4)", result.cross_validated),
        ):
            p = report.as_percentages()
            self.stderr.write(
                f"{label:<32}{p['MAP']:>8.2f}{p['MRR']:>8.2f}{p['AvgRec']:>8.2f}{p['P@1']:>8.2f}{p['P@5']:>8.2f}"
            )
        self.stderr.write(f"is-duplicate threshold (best F1 on these pairs): {result.threshold:.6f}")
        if options["write"]:
            Path(weights.__file__).write_text(module, encoding="utf-8")
            self.stderr.write(f"wrote {weights.__file__}")
        else:
            self.stdout.write(module)
