#!/usr/bin/env python
"""Side-by-side table of search_bench.py runs: before (one code) and after (another).

The machine is shared, so one run proves little: run both sides in turns on the same
corpus (--reuse), copy each run's JSON aside, then summarise every figure as
min / median / max over the runs of a side:

    for r in 1 2 3; do
      (cd ../main && .venv/bin/python bench/search_bench.py --backend sqlite --size 10000 --reuse)
      cp /tmp/onefix-search-bench/sqlite-10000.json /tmp/runs/sqlite-10000-main-$r.json
      .venv/bin/python bench/search_bench.py --backend sqlite --size 10000 --reuse
      cp /tmp/onefix-search-bench/sqlite-10000.json /tmp/runs/sqlite-10000-branch-$r.json
    done
    .venv/bin/python bench/search_compare.py /tmp/runs --before main --after branch
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

FIGURES = [
    ("title", "query", "title: search.query()"),
    ("title", "page", "title: GET /search/"),
    ("short", "query", "short: search.query()"),
    ("short", "page", "short: GET /search/"),
    ("natural", "query", "natural: search.query()"),
    ("natural", "page", "natural: GET /search/"),
    ("similar", None, "suggest: similar()"),
    ("suggest_page", None, "suggest: GET /search/suggest"),
]


def spread(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def figure(report: dict, workload: str, part: str | None, cut: str) -> float:
    value = report[workload]
    return (value[part] if part else value)[cut]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path)
    parser.add_argument("--before", default="main")
    parser.add_argument("--after", default="branch")
    args = parser.parse_args()
    groups: dict[tuple[str, int], dict[str, list[dict]]] = {}
    for path in sorted(args.folder.glob("*-*-*-*.json")):
        backend, size, side, _ = path.stem.split("-")
        groups.setdefault((backend, int(size)), {}).setdefault(side, []).append(json.loads(path.read_text()))
    print(
        f"| backend | docs | workload | p50 ms {args.before} | p50 ms {args.after} | "
        f"p95 ms {args.before} | p95 ms {args.after} | median p50 change |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for (backend, size), sides in sorted(groups.items()):
        before, after = sides.get(args.before, []), sides.get(args.after, [])
        if not before or not after:
            continue
        for workload, part, label in FIGURES:
            if workload not in before[0] or workload not in after[0]:
                continue
            cells = []
            for cut in ("p50", "p95"):
                for runs in (before, after):
                    cells.append(spread([figure(r, workload, part, cut) for r in runs]))
            b = statistics.median(figure(r, workload, part, "p50") for r in before)
            a = statistics.median(figure(r, workload, part, "p50") for r in after)
            change = f"{100 * (a - b) / b:+.0f} %"
            print(
                f"| {backend} | {size:,} | {label} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} | {change} |"
            )
    print(f"\nmin / median / max over {len(before)} runs per side")


if __name__ == "__main__":
    main()
