#!/usr/bin/env python
"""Duplicate-linking benchmark: latency of the link job's handler and backfill throughput.

Threads come from the search benchmark's corpus generator (bench/search_corpus.py):
its thread documents become real forum Thread rows (articles are skipped), created
in id order with rising created_at, 500 authors, the corpus's tags and categories,
3 % deleted. One thread in 20 is a paraphrase of an earlier one (title words
shuffled, two replaced, 60 % of the body kept, new words added), so the scorer
finds real near-duplicates and the job writes links. Threads are indexed with the
forum's own indexing (search.index.upsert_many over forum.indexing documents).

Measured:
- per-thread latency of `duplicates.linking.link_thread` (the outbox handler's
  whole work: candidate search, loading texts, scoring, writing links, in its
  transaction) over --samples random visible threads from the newest half, after
  20 warm-up runs; with a breakdown into similar() / scoring / the rest;
- the one-off cost of the IDF background (built once per worker process per hour);
- backfill throughput: `link_duplicates --all` logic (duplicates.backfill)
  over --backfill threads from a checkpoint at the middle thread (early threads have
  few earlier threads to score, so starting at 0 would flatter the rate);
- how the threshold sorts the backfill's links: planted paraphrase pairs found
  (recall) and the share of links that are planted pairs (precision), at the fitted
  threshold and at higher ones.

Own database, never the developer's: PostgreSQL `onefix_link_bench` (dropped and
re-created unless --reuse finds --size threads), SQLite /tmp/onefix_link_bench_<size>.sqlite3.

  .venv/bin/python bench/link_bench.py --backend sqlite --size 10000
  .venv/bin/python bench/link_bench.py --backend postgresql --size 100000
  .venv/bin/python bench/link_bench.py --backend postgresql --size 1000000 --copy --pg-db onefix_scale1m_link
(--copy indexes the threads with COPY, bench.common.copy_index; for 1M threads, --from-search-corpus
builds them from search_bench.py's corpus in SQL instead: 7 minutes.)
Results: Markdown on stdout and /tmp/onefix-link-bench/<backend>-<size>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", message="No directory at")

from bench.common import copy_index, load_average, percentiles, use_database  # noqa: E402

OUT_DIR = Path(tempfile.gettempdir()) / "onefix-link-bench"
PARAPHRASE_EVERY = 20


def _paraphrase(rng: random.Random, corpus, title: str, body: str) -> tuple[str, str]:
    words = title.split()
    rng.shuffle(words)
    for _ in range(2):
        words[rng.randrange(len(words))] = corpus.words.draw()
    kept = [w for w in body.split() if rng.random() < 0.6]
    extra = corpus.text(rng.randint(5, 30))
    return " ".join(words).capitalize()[:150], " ".join(kept) + "\n\n" + extra


def load(size: int, seed: int, copy: bool = False) -> dict:
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from bench.search_corpus import Corpus
    from forum import indexing
    from forum.models import Category, Tag, TaggedThread, Thread
    from search.index import recount_words, upsert_many

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if Thread.objects.count() == size:
        print(f"reusing the {size:,} threads already loaded")
        return {"load_seconds": None}
    started = time.perf_counter()
    corpus = Corpus(seed)
    rng = random.Random(seed + 11)
    authors = User.objects.bulk_create(
        [User(email=f"bench{i}@example.com", display_name=f"Bench {i}") for i in range(500)]
    )
    categories = {
        slug: Category.objects.create(slug=slug, name=name, position=i)
        for i, (slug, name) in enumerate(corpus.categories)
    }
    start = timezone.now() - dt.timedelta(days=3 * 365)
    step = dt.timedelta(days=3 * 365) / size
    texts: list[tuple[str, str]] = []
    tag_names: list[list[str]] = []
    category_of: list[str] = []
    planted: list[tuple[int, int]] = []  # (source index, paraphrase index)
    batch: list[Thread] = []
    made = 0
    docs = (d for d in corpus.documents(size * 2, timezone.now()) if d.kind == "thread")
    while made < size:
        doc = next(docs)
        title, body, tags, category = doc.title[:150], doc.body, doc.tags, doc.category
        if made > 100 and made % PARAPHRASE_EVERY == 0:
            source = rng.randrange(max(0, made - 5000), made)
            title, body = _paraphrase(rng, corpus, *texts[source])
            tags, category = tag_names[source], category_of[source]
            planted.append((source, made))
        texts.append((title, body))
        tag_names.append(tags)
        category_of.append(category)
        created = start + step * made
        deleted = not doc.is_public
        batch.append(
            Thread(
                title=title,
                slug=Thread.make_slug(title),
                body_md=body,
                body_html=f"<p>{escape(body)}</p>",
                author=authors[rng.randrange(len(authors))],
                category=categories[category],
                created_at=created,
                last_activity_at=created,
                is_deleted=deleted,
                deleted_at=created if deleted else None,
                status=Thread.Status.SOLVED if doc.solved else Thread.Status.OPEN,
            )
        )
        made += 1
        if len(batch) == 2000:
            Thread.objects.bulk_create(batch)
            batch = []
            print(f"\rthreads {made:,}/{size:,}", end="", flush=True)
    Thread.objects.bulk_create(batch)
    ids = list(Thread.objects.order_by("pk").values_list("pk", flat=True))
    OUT_DIR.mkdir(exist_ok=True)
    _pairs_file(connection.vendor, size).write_text(json.dumps([[ids[a], ids[b]] for a, b in planted]))
    tags = {}
    for names in tag_names:
        for name in names:
            tags.setdefault(name, None)
    Tag.objects.bulk_create([Tag(name=n, slug=n) for n in tags], ignore_conflicts=True)
    tag_ids = dict(Tag.objects.values_list("name", "pk"))
    TaggedThread.objects.bulk_create(
        [
            TaggedThread(tag_id=tag_ids[n], content_object_id=pk)
            for pk, names in zip(ids, tag_names, strict=True)
            for n in names
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    print(f"\rthreads {size:,} in {time.perf_counter() - started:.0f} s; indexing…", flush=True)
    batch_docs = []
    if copy:
        copy_index(indexing.iter_documents(), total=size)
    for doc in () if copy else indexing.iter_documents():
        batch_docs.append(doc)
        if len(batch_docs) == 1000:
            upsert_many(batch_docs)
            batch_docs = []
    upsert_many(batch_docs)
    recount_words()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    print(f"loaded and indexed {size:,} threads in {seconds:.0f} s")
    return {"load_seconds": round(seconds, 1)}


def load_from_search_corpus(seed: int) -> dict:
    """PostgreSQL: turn the search benchmark's corpus, already in this database
    (bench/search_bench.py with the same --pg-db), into forum threads, in SQL.

    A million threads built through the ORM and indexed again take hours on a shared
    2-core machine; here the search bench's thread documents (95 % of its corpus) become
    Thread rows with their object_id as id, so their index entries are already the
    threads' own (same title, body, tags, category, visibility), and the search and
    link benchmarks run on one database per size. created_at rises with the id over
    three years, as in load(). No paraphrases are planted: the precision and recall
    of the backfill are not measured on such a database (only load() plants them).
    """
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from bench.search_corpus import Corpus
    from forum.models import Category, Tag, Thread
    from search.models import SearchEntry

    assert connection.vendor == "postgresql", "--from-search-corpus is for PostgreSQL"
    if Thread.objects.exists():
        print(f"reusing the {Thread.objects.count():,} threads already built")
        return {"load_seconds": None}
    documents = SearchEntry.objects.count()
    if not documents:
        raise SystemExit("no search corpus here: run bench/search_bench.py with this --pg-db first")
    started = time.perf_counter()
    authors = User.objects.bulk_create(
        [User(email=f"bench{i}@example.com", display_name=f"Bench {i}") for i in range(500)]
    )
    for i, (slug, name) in enumerate(Corpus(seed).categories):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": i})
    start = timezone.now() - dt.timedelta(days=3 * 365)
    given = {
        "id": "e.object_id",
        "title": "left(e.title, 150)",
        "slug": "coalesce(nullif(left(trim(both '-' from lower(regexp_replace(e.title, '[^A-Za-z0-9]+', '-', 'g'))), 80), ''), 'question')",
        "body_md": "e.body",
        "body_html": "'<p>' || replace(replace(replace(e.body, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') || '</p>'",
        "status": "CASE WHEN e.solved THEN 'solved' ELSE 'open' END",
        "created_at": "%(start)s::timestamptz + e.object_id * %(step)s::interval",
        "last_activity_at": "%(start)s::timestamptz + e.object_id * %(step)s::interval",
        "is_deleted": "NOT e.is_public",
        "deleted_at": "CASE WHEN e.is_public THEN NULL ELSE %(start)s::timestamptz + e.object_id * %(step)s::interval END",
        "author_id": "(%(authors)s::bigint[])[1 + (e.object_id * 7919) %% 500]",
        "category_id": "c.id",
    }
    columns, values, params = (
        [],
        [],
        {
            "start": start,
            "step": dt.timedelta(days=3 * 365) / documents,
            "authors": [a.pk for a in authors],
        },
    )
    for field in Thread._meta.concrete_fields:
        columns.append(field.column)
        if field.column in given:
            values.append(given[field.column])
        else:
            params[field.column] = field.get_default()
            values.append(f"%({field.column})s")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO forum_thread ({', '.join(columns)}) SELECT {', '.join(values)} "  # noqa: S608 - constants
            "FROM search_searchentry e JOIN forum_category c ON c.slug = e.category WHERE e.kind = 'thread'",
            params,
        )
        threads = cursor.rowcount
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('forum_thread', 'id'), (SELECT max(id) FROM forum_thread))"
        )
        print(f"threads {threads:,} in {time.perf_counter() - started:.0f} s; tags…", flush=True)
        cursor.execute(
            "INSERT INTO forum_tag (name, slug) SELECT DISTINCT t.name, t.name FROM search_searchtag t "
            "JOIN search_searchentry e ON e.id = t.entry_id WHERE e.kind = 'thread' ON CONFLICT DO NOTHING"
        )
        cursor.execute(
            "INSERT INTO forum_taggedthread (tag_id, content_object_id) SELECT g.id, e.object_id "
            "FROM search_searchtag t JOIN search_searchentry e ON e.id = t.entry_id "
            "JOIN forum_tag g ON g.name = t.name WHERE e.kind = 'thread' ON CONFLICT DO NOTHING"
        )
    OUT_DIR.mkdir(exist_ok=True)
    _pairs_file(connection.vendor, threads).write_text("[]")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    print(
        f"built {threads:,} threads from the search corpus in {seconds:.0f} s ({Tag.objects.count():,} tags)"
    )
    return {"load_seconds": round(seconds, 1), "built_from_search_corpus": True}


def _pairs_file(vendor: str, size: int) -> Path:
    return OUT_DIR / f"planted-{vendor}-{size}.json"


class Stopwatch:
    """Wraps a function and adds up the time spent in it."""

    def __init__(self, fn):
        self.fn = fn
        self.total = 0.0
        self.calls: list[float] = []  # ms per call

    def __call__(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self.fn(*args, **kwargs)
        finally:
            spent = time.perf_counter() - started
            self.total += spent
            self.calls.append(spent * 1000)


def run(args) -> dict:
    use_database(
        args.backend,
        pg_db=args.pg_db,
        sqlite_name=f"onefix_link_bench_{args.size}",
        reuse=args.reuse or args.from_search_corpus,  # never drop the search corpus it builds on
    )
    from django.db import connection

    from duplicates import backfill, linking
    from duplicates.models import DuplicateLink
    from forum.models import Thread

    report = {"backend": connection.vendor, "size": args.size}
    if args.from_search_corpus:
        report.update(load_from_search_corpus(args.seed))
        report["size"] = args.size = Thread.objects.count()
    else:
        report.update(load(args.size, args.seed, copy=args.copy))
    if args.pages:
        report["pages"] = site_pages(args.pages, args.seed)

    if connection.vendor == "postgresql":
        report["table_mb"] = table_sizes()
        print(f"table sizes (MB, with indexes and TOAST): {report['table_mb']}")
    linking.reset_background_stats()
    started = time.perf_counter()
    linking.background_stats()
    report["idf_build_ms"] = round((time.perf_counter() - started) * 1000, 1)
    # What a linking worker process keeps in memory for the job: the IDF background,
    # built from STATS_SAMPLE threads whatever the size of the site. Measured on a
    # second build (tracing slows the first).
    linking.reset_background_stats()
    tracemalloc.start()
    linking.background_stats()
    report["idf_memory_mb"] = round(tracemalloc.get_traced_memory()[0] / 1024 / 1024, 1)
    tracemalloc.stop()
    print(f"IDF background: {report['idf_build_ms']} ms to build, {report['idf_memory_mb']} MB kept")

    visible = list(Thread.objects.visible().order_by("pk").values_list("pk", flat=True))
    rng = random.Random(args.seed + 3)
    newest_half = visible[len(visible) // 2 :]
    sample = rng.sample(newest_half, min(args.samples + 20, len(newest_half)))
    warm, timed_ids = sample[:20], sample[20:]
    for pk in warm:
        linking.link_thread(pk)
    search = linking.similar = Stopwatch(linking.similar)
    score = linking.score_candidates = Stopwatch(linking.score_candidates)
    times, candidates, links = [], [], []
    for pk in timed_ids:
        t0 = time.perf_counter()
        outcome = linking.link_thread(pk)
        times.append((time.perf_counter() - t0) * 1000)
        candidates.append(outcome.candidates)
        links.append(outcome.above_threshold)
    linking.similar, linking.score_candidates = search.fn, score.fn
    total = sum(times)
    report["job_load_average"] = load_average()
    report["job"] = percentiles(times)
    report["similar"] = percentiles(search.calls)  # finding the candidates, alone
    report["job_samples"] = len(times)
    report["median_candidates"] = statistics.median(candidates)
    report["mean_links_per_thread"] = round(statistics.fmean(links), 2)
    report["share"] = {
        "similar": round(100 * search.total * 1000 / total, 1),
        "scoring": round(100 * score.total * 1000 / total, 1),
    }
    report["share"]["rest"] = round(100 - report["share"]["similar"] - report["share"]["scoring"], 1)
    print(
        f"job: {report['job']} over {len(times)} threads; median {report['median_candidates']} earlier "
        f"candidates; time in similar() {report['share']['similar']} %, scoring {report['share']['scoring']} %; "
        f"load average {report['job_load_average']}; similar() alone {report['similar']}"
    )

    # Backfill from the middle of the site: a thread's candidates are its *earlier*
    # threads, so the first threads by id (few earlier ones) would flatter the rate.
    DuplicateLink.objects.all().delete()
    start = visible[len(visible) // 2]
    backfill.save_checkpoint(start)
    n = min(args.backfill, len(visible) // 2)
    t0 = time.perf_counter()
    done, created = backfill.backfill(limit=n)
    seconds = time.perf_counter() - t0
    last = backfill.checkpoint()
    found = set(
        DuplicateLink.objects.filter(high_id__gt=start, high_id__lte=last).values_list("low_id", "high_id")
    )
    shown = set(visible)
    planted = {
        (a, b)
        for a, b in json.loads(_pairs_file(connection.vendor, args.size).read_text())
        if start < b <= last and a in shown and b in shown
    }
    report["backfill"] = {
        "threads": done,
        "planted_pairs": len(planted),
        "planted_found": len(found & planted),
        "links_to_planted_share": round(100 * len(found & planted) / len(found), 1) if found else None,
        "seconds": round(seconds, 1),
        "threads_per_second": round(done / seconds, 1),
        "links": created,
        "estimated_full_minutes": round(len(visible) / (done / seconds) / 60, 1),
        "load_average": load_average(),
    }
    print(f"backfill: {report['backfill']}")
    # How the threshold sorts links on this corpus: planted paraphrase pairs against the rest.
    rows = DuplicateLink.objects.filter(high_id__gt=start, high_id__lte=last).values_list(
        "low_id", "high_id", "score"
    )
    scores = {(low, high): score for low, high, score in rows}
    report["thresholds"] = []
    for cut in (linking.threshold(), 4.0, 6.0, 8.0, 10.0, 12.0):
        kept = {pair for pair, score in scores.items() if score >= cut}
        hits = len(kept & planted)
        report["thresholds"].append(
            {
                "threshold": round(cut, 3),
                "links": len(kept),
                "planted_found": hits,
                "precision": round(100 * hits / len(kept), 1) if kept else None,
                "recall": round(100 * hits / len(planted), 1) if planted else None,
            }
        )
    print("thresholds:", report["thresholds"])
    return report


TABLES = (
    "forum_thread",
    "forum_taggedthread",
    "forum_post",
    "search_searchentry",
    "search_searchtag",
    "search_searchword",
    "duplicates_duplicatelink",
    "jobs_pendingjob",
)


def table_sizes() -> dict:
    """pg_total_relation_size (table, indexes, TOAST) of the tables that grow with threads, in MB."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t, pg_total_relation_size(t::regclass), pg_indexes_size(t::regclass) FROM unnest(%s::text[]) t",
            [list(TABLES)],
        )
        return {t: {"total": round(n / 2**20, 1), "indexes": round(i / 2**20, 1)} for t, n, i in cursor}


def site_pages(rounds: int, seed: int) -> dict:
    """Pages and aggregates whose cost may grow with the number of threads, timed
    uncached (anonymous cache off) through the Django test client: p50 / p95 / max ms
    over `rounds` requests each, and the load average when done."""
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from forum import listcounts
    from forum.models import Thread

    settings.ANON_CACHE_SECONDS = 0
    client = Client()
    rng = random.Random(seed + 5)
    visible = Thread.objects.visible()
    last_id = visible.order_by("-pk").values_list("pk", flat=True).first()
    threads = [
        visible.filter(pk__gte=rng.randrange(1, last_id)).order_by("pk").first() for _ in range(rounds)
    ]
    solved_pages = max(1, -(-visible.solved().count() // 5000))

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def recount():
        cache.delete(listcounts.KEY)
        listcounts.panels()

    cases = {
        "list counts recomputed (categories + popular tags)": recount,
        "GET /questions/ (page 1)": lambda: get("/questions/"),
        "GET /questions/?page=1000": lambda: get("/questions/?page=1000"),
        "GET /questions/?tab=unanswered": lambda: get("/questions/?tab=unanswered"),
        "GET / (home)": lambda: get("/"),
        "GET a thread page": None,
        "GET /sitemap.xml (page 1: 5,000 solved threads)": lambda: get("/sitemap.xml"),
    }
    hot = {"updated": 0, "hot": 0}

    def flush_views():
        # What forum.views_counter._write does with a batch taken from Redis: one
        # UPDATE per thread. HOT share: updates that wrote no index entry (PostgreSQL).
        from django.db import connection, transaction
        from django.db.models import F

        with transaction.atomic():
            for _ in range(1000):
                Thread.objects.filter(pk=rng.randrange(1, last_id)).update(view_count=F("view_count") + 1)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_stat_get_xact_tuples_updated('forum_thread'::regclass), "
                        "pg_stat_get_xact_tuples_hot_updated('forum_thread'::regclass)"
                    )
                    updated, hot_updated = cursor.fetchone()
                    hot["updated"] += updated
                    hot["hot"] += hot_updated

    cases["view-count flush of 1,000 threads (one UPDATE each)"] = flush_views
    out = {}
    # Django's plain sitemap view pages every section together: past the smallest
    # section's last page (the articles') it answers 404, so later solved threads are
    # in no sitemap at all. Recorded, not timed.
    out["sitemap_pages_needed"] = solved_pages
    out["sitemap_page_2_status"] = client.get("/sitemap.xml?p=2").status_code
    print(
        f"sitemap: {solved_pages} pages of solved threads needed; ?p=2 answers {out['sitemap_page_2_status']}"
    )
    for name, fn in cases.items():
        times = []
        for i in range(rounds):
            started = time.perf_counter()
            if fn is None:
                get(threads[i].get_absolute_url())
            else:
                fn()
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        out[name] = {
            "p50": round(statistics.median(times), 1),
            "p95": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
            "max": round(times[-1], 1),
            "load_average": load_average(),
        }
        print(f"{name}: {out[name]}", flush=True)
    if hot["updated"]:
        out["view_count_hot_share"] = round(100 * hot["hot"] / hot["updated"], 1)
        print(f"view-count updates that were HOT (no index write): {out['view_count_hot_share']} %")
    return out


def markdown(report: dict) -> str:
    j, b = report["job"], report["backfill"]
    return (
        f"| {report['backend']} | {report['size']:,} | {j['p50']} / {j['p95']} / {j['p99']} | {j['mean']} "
        f"| {report['median_candidates']:g} | {report['share']['similar']} / {report['share']['scoring']} / "
        f"{report['share']['rest']} | {b['threads_per_second']} ({b['threads']:,} threads) "
        f"| {report['idf_build_ms']:,.0f} | {report.get('job_load_average', '?')} | {b.get('load_average', '?')} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=500, help="threads timed through link_thread")
    parser.add_argument("--backfill", type=int, default=2000, help="threads for the throughput run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg-db", default="onefix_link_bench")
    parser.add_argument("--reuse", action="store_true", help="keep the threads if --size are already loaded")
    parser.add_argument(
        "--copy",
        action="store_true",
        help="PostgreSQL: index the threads with COPY (bench.common.copy_index), for 1M threads",
    )
    parser.add_argument(
        "--pages",
        type=int,
        default=0,
        help="also time N uncached requests of the list pages, a thread page, the sitemap's last "
        "page, and the list counts' recount (the reads whose cost may grow with the site)",
    )
    parser.add_argument(
        "--from-search-corpus",
        action="store_true",
        help="PostgreSQL: build the threads in SQL from search_bench.py's corpus in the same --pg-db "
        "(--size is then the thread count found); 1M threads in 7 minutes",
    )
    args = parser.parse_args()
    report = run(args)
    OUT_DIR.mkdir(exist_ok=True)
    path = OUT_DIR / f"{report['backend']}-{args.size}.json"
    path.write_text(json.dumps(report, indent=2))
    print(
        "\n| backend | threads | job p50 / p95 / p99 ms | mean ms | median candidates "
        "| % similar / scoring / rest | backfill threads/s | IDF build ms | load average (job) | load average (backfill) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(markdown(report))
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
