"""duplicates/scoring/ needs no Django: it imports, scores and evaluates in a fresh
interpreter with no settings, and Django is never imported along the way."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from duplicates.scoring import evaluate, fit, metrics, packs, scorer, text, weights
from duplicates.scoring.scorer import CorpusStats, ThreadText, score_candidates

query = ThreadText("q", "Printer offline after firmware update", "The printer is offline.")
candidates = [
    ThreadText("a", "Printer offline since the firmware update", "Offline printer, nothing prints."),
    ThreadText("b", "Change my billing address", "Invoices go to the old address."),
]
stats = CorpusStats.from_threads([query, *candidates])
results = score_candidates(query, candidates, stats, [1, 2])
assert results[0].score > results[1].score, [r.score for r in results]
leaked = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
assert not leaked, leaked
raise SystemExit(17)  # reached the end: every assert above held
"""


def test_scoring_imports_and_scores_without_django_or_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 17, done.stderr
