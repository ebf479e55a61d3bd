#!/usr/bin/env python
"""Search benchmark: latency of search.query(), the /search/ page and the ask-page
suggestions over a synthetic help-desk corpus (bench/search_corpus.py).

It uses a database of its own, never the developer's:
  PostgreSQL: the database named by --pg-db (default onefix_bench), dropped and
              re-created unless --reuse finds it already holds --size documents;
  SQLite:     /tmp/onefix_search_bench_<size>.sqlite3 (same rule).

Run one backend and one size per call (each stays within a few minutes):
  .venv/bin/python bench/search_bench.py --backend sqlite --size 10000
  .venv/bin/python bench/search_bench.py --backend postgresql --size 100000
A million documents on PostgreSQL (--copy loads with COPY: 29 minutes on a shared 2-core machine):
  .venv/bin/python bench/search_bench.py --backend postgresql --size 1000000 --copy --pg-db onefix_scale1m
Figures are printed as Markdown and written to /tmp/onefix-search-bench/<backend>-<size>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise without collectstatic

from bench.common import copy_index, load_average, percentiles, use_database  # noqa: E402

OUT_DIR = Path(tempfile.gettempdir()) / "onefix-search-bench"
WORKLOADS = ("title", "short", "natural")


def load(size: int, seed: int, copy: bool = False) -> dict:
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.search_corpus import Corpus
    from search.index import recount_words, upsert_many
    from search.models import SearchEntry

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if SearchEntry.objects.count() == size:
        print(f"reusing the {size:,} documents already indexed")
        return {"load_seconds": None}
    SearchEntry.objects.all().delete()
    corpus = Corpus(seed)
    now = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)
    started = time.perf_counter()
    batch, done = [], 0
    if copy:
        copy_index(corpus.documents(size, now), total=size)
    for doc in () if copy else corpus.documents(size, now):
        batch.append(doc)
        if len(batch) == 1000:
            done += upsert_many(batch)
            batch = []
            print(f"\rindexing {done:,}/{size:,}", end="", flush=True)
    upsert_many(batch)
    words = recount_words()
    seconds = time.perf_counter() - started
    print(f"\rindexed {size:,} documents in {seconds:.0f} s ({size / seconds:,.0f}/s); vocabulary {words:,}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    return {"load_seconds": round(seconds, 1), "docs_per_second": round(size / seconds)}


def index_size() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('search_searchentry'), pg_relation_size('search_entry_vector_gin'), "
                "pg_total_relation_size('search_searchtag'), pg_total_relation_size('search_searchword')"
            )
            entries, gin, tags, words = cursor.fetchone()
            return {
                "entries_total_mb": mb(entries),
                "gin_index_mb": mb(gin),
                "tags_mb": mb(tags),
                "vocabulary_mb": mb(words),
                "search_total_mb": mb(entries + tags + words),
            }
        cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
        sizes = dict(cursor.fetchall())
    fts = sum(v for k, v in sizes.items() if k.startswith("search_entry_fts"))
    entries = sum(
        v
        for k, v in sizes.items()
        if k == "search_searchentry"
        or k.startswith("sqlite_autoindex_search_searchentry")
        or k.startswith("search_entry_")
    )
    entries -= fts
    tags = sum(v for k, v in sizes.items() if "searchtag" in k or k.startswith("search_tag"))
    words = sum(v for k, v in sizes.items() if "searchword" in k)
    return {
        "entries_total_mb": mb(entries),
        "fts5_index_mb": mb(fts),
        "tags_mb": mb(tags),
        "vocabulary_mb": mb(words),
        "search_total_mb": mb(entries + fts + tags + words),
    }


def mb(n: int) -> float:
    return round(n / 1024 / 1024, 1)


def timed(fn, items, cpu: list[float] | None = None) -> list[float]:
    """Wall time of fn(item) per item, in ms; with `cpu`, also this process's CPU time
    (what the machine's other work cannot inflate, except by cache effects; PostgreSQL's
    own time is in its server process, so not in it)."""
    times = []
    for item in items:
        started, started_cpu = time.perf_counter(), time.process_time()
        fn(item)
        times.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
    return times


def workloads(size: int, n: int, seed: int) -> dict[str, list[str]]:
    """`title`: 1,000 whole titles of public documents (the issue's workload);
    `short`: their first two content words — broad queries that match thousands;
    `natural`: four content words of a title and two of another (a customer's
    sentence that no document matches in full), so most take the relaxed path:
    the AND query, "did you mean", then the relaxed query with its tail cut."""
    from search.models import SearchEntry
    from search.text import STOPWORDS, words

    rng = random.Random(seed + 1)
    ids = rng.sample(range(1, size + 1), min(size, n * 2))
    titles = dict(
        SearchEntry.objects.filter(object_id__in=ids, is_public=True).values_list("object_id", "title")
    )
    chosen = [titles[i] for i in ids if i in titles][:n]
    content = [[w for w in words(t) if w not in STOPWORDS and not w.isdigit()] for t in chosen]
    short = [" ".join(c[:2]) for c in content]
    natural = [" ".join(c[:4] + content[(i + 1) % len(content)][-2:]) for i, c in enumerate(content)]
    return {"title": chosen, "short": short, "natural": natural}


def run(args) -> dict:
    use_database(
        args.backend, pg_db=args.pg_db, sqlite_name=f"onefix_search_bench_{args.size}", reuse=args.reuse
    )
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from search.query import query, similar

    # One client asks hundreds of suggestions a minute: the ask page's rate limit
    # (RATE_LIMIT_SUGGEST, "ip 120/m") would answer most of them 429, and time that instead.
    settings.RATELIMIT_ENABLE = False
    report = {"backend": connection.vendor, "size": args.size, "queries": args.queries}
    report.update(load(args.size, args.seed, copy=args.copy))
    report["index"] = index_size()
    client = Client()
    sets = workloads(args.size, args.queries, args.seed)
    for name, texts in sets.items():
        if name not in args.workloads:
            continue
        warm = texts[:50]
        timed(lambda q: query(q), warm)
        results = {}
        totals = []
        relaxed = []

        def run_query(q, totals=totals, relaxed=relaxed):
            found = query(q)
            totals.append(found.total)
            relaxed.append(found.relaxed)

        query_times = timed(run_query, texts)
        results["query"] = percentiles(query_times)
        slowest = max(range(len(texts)), key=query_times.__getitem__)
        results["slowest"] = {"text": texts[slowest], "ms": round(query_times[slowest], 1)}
        results["median_matches"] = statistics.median(totals)
        results["relaxed_share"] = round(sum(relaxed) / len(relaxed), 2)

        def page(q):
            response = client.get("/search/", {"q": q})
            assert response.status_code == 200, response.status_code

        page_cpu: list[float] = []
        results["page"] = percentiles(timed(page, texts, page_cpu))
        results["page_cpu"] = percentiles(page_cpu)
        results["load_average"] = load_average()
        report[name] = results
        print(
            f"{name:>7}: query {results['query']}  page {results['page']}  "
            f"(this process's CPU {results['page_cpu']}) "
            f"median matches {results['median_matches']}, relaxed {results['relaxed_share']:.0%}; "
            f"load average {results['load_average']}"
        )
    if "suggest" in args.workloads:
        titles = sets["title"]
        report["similar"] = percentiles(
            timed(lambda t: similar(t, "", kinds=None, solved_only=True, limit=5), titles)
        )

        def suggest_page(title):
            response = client.get("/search/suggest", {"title": title})
            assert response.status_code == 200, response.status_code

        report["suggest_page"] = percentiles(timed(suggest_page, titles))
        report["suggest_load_average"] = load_average()
        print(
            f"suggest: similar() {report['similar']}  /search/suggest {report['suggest_page']}; "
            f"load average {report['suggest_load_average']}"
        )
    if args.explain and connection.vendor == "postgresql":
        report["explain"] = explain_slowest(report)
    return report


def explain_slowest(report: dict) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest SQL statement of the slowest query of
    the run (by search.query() time), re-run now: which statement, which plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.query import query

    name = max((n for n in WORKLOADS if n in report), key=lambda n: report[n]["slowest"]["ms"])
    text = report[name]["slowest"]["text"]
    with CaptureQueriesContext(connection) as captured:
        query(text)
    statements = []
    for item in captured.captured_queries:
        sql = item["sql"]
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql)
        statements.append(((time.perf_counter() - started) * 1000, sql))
    ms, sql = max(statements)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"\nslowest query ({name}): {text!r}, {report[name]['slowest']['ms']} ms in the run;")
    print(f"its slowest statement of {len(statements)}, {ms:.1f} ms now:\n{sql}\n\n{plan}\n")
    return {"workload": name, "text": text, "statement_ms": round(ms, 1), "sql": sql, "plan": plan}


def markdown(report: dict) -> str:
    idx = report["index"]
    fts = idx.get("gin_index_mb", idx.get("fts5_index_mb"))
    rows = []
    for name in (n for n in WORKLOADS if n in report):
        r = report[name]
        rows.append(
            f"| {report['backend']} | {report['size']:,} | {name} | {r['median_matches']:,.0f} | "
            f"{r['query']['p50']} / {r['query']['p95']} / {r['query']['p99']} | "
            f"{r['page']['p50']} / {r['page']['p95']} / {r['page']['p99']} | {r.get('load_average', '?')} |"
        )
    if "similar" in report:
        s, p = report["similar"], report["suggest_page"]
        rows.append(
            f"| {report['backend']} | {report['size']:,} | suggest | n/a | {s['p50']} / {s['p95']} / {s['p99']} | "
            f"{p['p50']} / {p['p95']} / {p['p99']} | {report.get('suggest_load_average', '?')} |"
        )
    rows.append(
        f"\nindex: full-text {fts} MB, search tables in all {idx['search_total_mb']} MB; "
        f"load {report.get('load_seconds')} s"
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg-db", default="onefix_bench")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the corpus if the database already holds --size docs"
    )
    parser.add_argument(
        "--workloads",
        default="title,short,natural,suggest",
        type=lambda v: v.split(","),
        help="comma-separated subset of title,short,natural,suggest (default: all)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="PostgreSQL: EXPLAIN ANALYZE the slowest statement of the run's slowest query",
    )
    parser.add_argument(
        "--copy",
        action="store_true",
        help="PostgreSQL: load the corpus with COPY (bench.common.copy_index), for 1M documents",
    )
    args = parser.parse_args()
    report = run(args)
    OUT_DIR.mkdir(exist_ok=True)
    path = OUT_DIR / f"{report['backend']}-{args.size}.json"
    path.write_text(json.dumps(report, indent=2))
    print(
        "\n| backend | docs | workload | median matches | function p50 / p95 / p99 ms "
        "| page p50 / p95 / p99 ms | load average (1 / 5 / 15 min) |"
    )
    print("|---|---|---|---|---|---|---|")
    print(markdown(report))
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
