#!/usr/bin/env python
"""Search relevance on the demo site: precision and recall of search.query() for a
small labelled set of queries written the way customers type them (issue 12, item 8).

It loads the demo (`manage.py load_demo`) into a database of its own, never the
developer's: SQLite /tmp/onefix_search_relevance.sqlite3, or the PostgreSQL database
named by --pg-db (dropped and re-created). Then, for every query, it takes up to 50
results (what /search/ would list on its first pages) and compares them with the
documents a person judged relevant.

    .venv/bin/python bench/search_relevance.py --backend sqlite
    .venv/bin/python bench/search_relevance.py --backend postgresql --pg-db onefix_relevance

Precision = relevant results / results; recall = relevant results / relevant documents.
A query with no results counts as precision 1 and recall 0 (it showed nothing wrong and
found nothing). The figures are macro averages over the queries.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import warnings
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", message="No directory at")

from bench.common import use_database  # noqa: E402

# (query, relevant documents as "thread 1" / "article 5") over the demo data
# (demo/forum.py, demo/kb.py). Judged by reading each document: relevant means it is
# about the asker's problem, not that it shares a word with it.
LABELLED = [
    (
        "my notes wont sync between my phone and laptop since yesterday",
        ["thread 1", "article 1", "thread 21", "thread 9", "thread 14", "thread 29"],
    ),
    ("cant login", ["article 5", "thread 18", "thread 5"]),
    ("i cant sign in after changing my email", ["article 5", "thread 18"]),
    ("app is draining my phone battery", ["thread 6", "thread 22"]),
    ("installer keeps failing with error 1603 on windows", ["article 2", "thread 4", "thread 23"]),
    ("exporting pdf makes the app crash on my mac", ["thread 24", "thread 25"]),
    ("charged twice for my subscription need refund", ["thread 2"]),
    ("how do i get an invoice with vat for my company", ["article 3", "thread 7", "thread 27"]),
    ("moving to a new mac and keep my offline notebooks", ["article 4", "thread 10"]),
    ("reminders come late after daylight saving", ["thread 26"]),
    ("widget on my iphone is empty", ["thread 3"]),
    ("doesnt sync after the 4.2 update on windows", ["thread 1", "article 1", "thread 21"]),
    ("face id lock", ["thread 11"]),
    ("voice memo transcription not working on android", ["thread 17"]),
    ("colleague doesnt see my shared notebook changes", ["thread 14"]),
    ("app wont open on ubuntu", ["thread 15"]),
    ("dark theme makes code unreadable", ["thread 16"]),
    ("big attachment upload never finishes", ["thread 29"]),
]


def measure() -> list[dict]:
    import search

    rows = []
    for text, relevant in LABELLED:
        results = search.query(text, per_page=50)
        shown = [f"{hit.kind} {hit.object_id}" for hit in results.hits]
        good = len(set(shown) & set(relevant))
        rows.append(
            {
                "query": text,
                "results": results.total,
                "relaxed": results.relaxed,
                "precision": good / len(shown) if shown else 1.0,
                "recall": good / len(relevant),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-db", default="onefix_relevance")
    parser.add_argument(
        "--sweep", action="store_true", help="also try other RELAXED_SHARE and RELAXED_SCORE_FLOOR values"
    )
    args = parser.parse_args()
    use_database(args.backend, pg_db=args.pg_db, sqlite_name="onefix_search_relevance")
    from django.core.management import call_command

    with redirect_stdout(io.StringIO()):  # the demo prints its accounts
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("load_demo", verbosity=0)
    rows = measure()
    print("| query | results | relaxed | precision | recall |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['query']} | {row['results']} | {'yes' if row['relaxed'] else ''} | "
            f"{row['precision']:.2f} | {row['recall']:.2f} |"
        )
    precision = statistics.fmean(r["precision"] for r in rows)
    recall = statistics.fmean(r["recall"] for r in rows)
    print(
        f"\n{len(rows)} queries: mean precision {precision:.2f}, mean recall {recall:.2f}, "
        f"results {sum(r['results'] for r in rows)} in all"
    )
    if args.sweep:
        sweep()


def sweep() -> None:
    """Mean precision / recall / F1 for other values of the two relaxed-query settings."""
    import importlib

    module = importlib.import_module("search.query")  # the module, not search.query()

    print("\n| words needed (share) | score floor | precision | recall | F1 | results |")
    print("|---|---|---|---|---|---|")
    saved = module.RELAXED_SHARE, module.RELAXED_SCORE_FLOOR
    try:
        for share in (0.0, 1 / 3, 1 / 2, 2 / 3):
            for floor in (0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5):
                module.RELAXED_SHARE, module.RELAXED_SCORE_FLOOR = share, floor
                rows = measure()
                precision = statistics.fmean(r["precision"] for r in rows)
                recall = statistics.fmean(r["recall"] for r in rows)
                f1 = 2 * precision * recall / (precision + recall)
                total = sum(r["results"] for r in rows)
                print(f"| {share:.2f} | {floor} | {precision:.2f} | {recall:.2f} | {f1:.2f} | {total} |")
    finally:
        module.RELAXED_SHARE, module.RELAXED_SCORE_FLOOR = saved


if __name__ == "__main__":
    main()
