"""How fast are /desk/insights/ (and its CSV) and /stats/ with many threads?

    .venv/bin/python bench/insights_bench.py --backend sqlite --threads 10000
    .venv/bin/python bench/insights_bench.py --backend postgresql --threads 100000

Builds its own database (bench/common.py; on PostgreSQL `onefix_insights`, dropped and
re-created): threads written in bulk like bench/desk_bench.py (not through the actions;
the fields the metrics read are set as the actions would set them), spread over 400
days in 6 areas. 10 % still waiting, the rest with a first staff reply after 0-72 h;
half solved by an official answer (a Post row each), 2 % solved through a linked
question with one me-too voter; one ask-page visit per thread (a third of them shown
suggestions, some prevented); 40 published articles with one helpful vote per five
threads. Then `manage.py build_daily_figures` builds the per-day figures
(desk/figures.py), timed. Then, per round, `--per-round` requests of each page as a
staff member (or a visitor for /stats/) through Django's test client (the whole view,
middleware and template, no network), once reading the questions as main did
(figures.ENABLED off: BEFORE) and once the per-day figures (AFTER), in the same round so
that both see the same load. Reports p50 and p95 per round and min / median / max over
rounds, and the 1-minute load average before and after.

/stats/ is measured cold (the cache emptied before every request: what one visitor in
five minutes pays) and warm (the figures from the cache).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentiles, use_database


def build(n: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from accounts.models import User
    from forum.models import Category, MeToo, Post, Thread
    from kb.models import Article, HelpfulVote
    from search.models import AskAttempt

    rng = random.Random(42)
    now = timezone.now()
    customers = User.objects.bulk_create(
        [User(email=f"c{i}@example.com", display_name=f"Customer {i}") for i in range(2000)]
    )
    staff = User.objects.create_user(
        email="staff@example.com", password=None, display_name="Staff", role="staff"
    )
    cats = [Category.objects.create(name=f"Area {i}", slug=f"area-{i}", position=i) for i in range(6)]
    batch = []
    for i in range(n):
        waiting = i % 10 == 0
        asked = now - timedelta(hours=rng.uniform(0, 240) if waiting else rng.uniform(0, 24 * 400))
        replied = None if waiting else asked + timedelta(hours=rng.expovariate(1 / 12))
        linked = not waiting and i % 50 == 1
        solved = not waiting and (i % 2 == 1)
        batch.append(
            Thread(
                title=f"Benchmark question {i}", slug=f"benchmark-question-{i}", body_md="Body.",
                body_html="<p>Body.</p>", author=customers[i % len(customers)], category=cats[i % len(cats)],
                created_at=asked, last_activity_at=replied or asked,
                status="solved" if solved else ("open" if waiting else "answered"),
                waiting_since=asked if waiting else None, first_staff_response_at=replied,
                linked_fix="pending" if linked else "", linked_fix_at=replied if linked else None,
                linked_fix_key="fix:article:1" if linked else "",
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Thread.objects.bulk_create(batch)
            batch = []
    Thread.objects.bulk_create(batch)
    posts, votes = [], []
    rows = Thread.objects.values_list("pk", "first_staff_response_at", "status", "linked_fix")
    for pk, replied, status, linked in rows.iterator(chunk_size=5000):
        if status == "solved" and not linked:
            posts.append(
                Post(thread_id=pk, author=staff, body_md="Fix.", body_html="<p>Fix.</p>", created_at=replied,
                     is_official=True, official_by=staff, official_at=replied)
            )  # fmt: skip
        if linked:
            votes.append(MeToo(thread_id=pk, user=customers[(pk * 7) % len(customers)], created_at=replied))
        if len(posts) >= 5000:
            Post.objects.bulk_create(posts)
            posts = []
    Post.objects.bulk_create(posts)
    MeToo.objects.bulk_create(votes, ignore_conflicts=True)
    articles = Article.objects.bulk_create(
        [
            Article(title=f"Article {i}", slug=f"article-{i}", body_md="Fix.", body_html="<p>Fix.</p>",
                    category=cats[i % len(cats)], author=staff, status="published", published_at=now)
            for i in range(40)
        ]
    )  # fmt: skip
    HelpfulVote.objects.bulk_create(
        [
            HelpfulVote(article=articles[i % 40], voter=f"v:{i}", helpful=i % 4 != 0,
                        created_at=now - timedelta(hours=rng.uniform(0, 24 * 400)))
            for i in range(n // 5)
        ],
        batch_size=5000,
    )  # fmt: skip
    attempts = []
    for i in range(n):
        at = now - timedelta(hours=rng.uniform(0, 24 * 400))
        shown = 2 if i % 3 == 0 else 0
        opened = at + timedelta(minutes=1) if shown and i % 2 == 0 else None
        posted = at + timedelta(minutes=3) if not opened or i % 4 == 0 else None
        attempts.append(
            AskAttempt(
                token=f"bench{i}", created_at=at, suggestions_shown=shown, opened_at=opened, posted_at=posted
            )
        )
        if len(attempts) == 5000:
            AskAttempt.objects.bulk_create(attempts)
            attempts = []
    AskAttempt.objects.bulk_create(attempts)
    from django.db import connection

    if connection.vendor == "postgresql":  # what autovacuum would do after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    t0 = time.perf_counter()
    call_command("build_daily_figures", verbosity=0)
    print(f"built the daily figures in {time.perf_counter() - t0:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE desk_dailyfigure")
    t0 = time.perf_counter()
    from desk.figures import refresh

    days = refresh()
    print(
        f"one beat run (desk.figures.refresh) rebuilt {days} days in {time.perf_counter() - t0:.2f} s",
        flush=True,
    )


def measure(rounds: int, per_round: int) -> dict:
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from accounts.models import User
    from desk import figures

    settings.ANON_CACHE_SECONDS = 0  # /stats/ measured without the anonymous page cache
    staff = User.objects.get(email="staff@example.com")
    client = Client()
    client.force_login(staff)
    visitor = Client()
    year_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 365 * 86400))
    pages = {
        "insights (12 weeks, all areas)": (client, "/desk/insights/", False),
        "insights (12 weeks, one area)": (client, "/desk/insights/?category=area-0", False),
        "insights (a year, all areas)": (client, f"/desk/insights/?start={year_ago}", False),
        "insights CSV (12 weeks)": (client, "/desk/insights/?format=csv", False),
        "stats (cold: cache emptied)": (visitor, "/stats/", True),
        "stats (warm)": (visitor, "/stats/", False),
    }
    paths = {"before": False, "after": True}  # figures.ENABLED: rows as on main, or the daily figures
    for c, url, _ in pages.values():
        assert c.get(url).status_code == 200  # warm the connection and templates
    results: dict[tuple[str, str], list[dict]] = {(n, p): [] for n in pages for p in paths}
    for _ in range(rounds):
        for name, (c, url, cold) in pages.items():
            for path, enabled in paths.items():
                figures.ENABLED = enabled
                times = []
                for _ in range(per_round):
                    if cold:
                        cache.clear()
                    t0 = time.perf_counter()
                    response = c.get(url)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert response.status_code == 200
                results[name, path].append(percentiles(times))
    figures.ENABLED = True
    return {
        name: {
            stat: (
                min(p[stat] for p in per),
                statistics.median(p[stat] for p in per),
                max(p[stat] for p in per),
            )
            for stat in ("p50", "p95")
        }
        for name, per in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=20)
    parser.add_argument("--pg-db", default="onefix_insights")
    args = parser.parse_args()
    use_database(args.backend, pg_db=args.pg_db, sqlite_name=f"insights_bench_{args.threads}")
    t0 = time.perf_counter()
    build(args.threads)
    print(f"built {args.threads} threads on {args.backend} in {time.perf_counter() - t0:.0f} s", flush=True)
    load_before = os.getloadavg()
    for (name, path), stats in measure(args.rounds, args.per_round).items():
        line = "  ".join(f"{s} {lo:.1f} / {med:.1f} / {hi:.1f} ms" for s, (lo, med, hi) in stats.items())
        print(f"{name:32} {path:6} (min / median / max over rounds)  {line}", flush=True)
    # The machine's load averages (1, 5, 15 min) before and after: latencies on a shared
    # machine mean little without them.
    after = os.getloadavg()
    print(
        f"load average {' '.join(f'{x:.1f}' for x in load_before)} -> {' '.join(f'{x:.1f}' for x in after)}"
        f" on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
