#!/usr/bin/env python
"""Knowledge-base benchmark: server time of the article page, /kb/ and the front page.

Uses a database of its own, never the developer's: SQLite /tmp/onefix_kb_bench.sqlite3
or the PostgreSQL database named by --pg-db (default onefix_kb_bench), dropped and
re-created each run. Loads the demo, then --articles more published articles (each
linked to a thread and voted on), then times --requests GETs of each page through the
Django test client (templates, middleware and queries; no network).

  .venv/bin/python bench/kb_bench.py --backend sqlite
  .venv/bin/python bench/kb_bench.py --backend postgresql
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", message="No directory at")

from bench.common import percentiles, use_database  # noqa: E402


def load(articles: int) -> str:
    from django.core.management import call_command

    from accounts.models import User
    from forum import actions as forum_actions
    from forum.models import Category
    from kb import actions
    from kb.models import Article

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo", verbosity=0)
    bob = User.objects.get(email="bob@example.com")
    alice = User.objects.get(email="alice@example.com")
    category = Category.objects.get(slug="sync")
    for i in range(articles):
        article = actions.create_article(
            bob,
            f"Benchmark article number {i} about syncing",
            f"Summary {i}.",
            f"## Step one\n\nDo thing {i}.\n\n## Step two\n\nThen more.\n\n## Step three\n\nDone.",
            category,
            ["sync", f"t{i % 9}"],
        )
        thread = forum_actions.create_thread(alice, f"Benchmark question {i} on sync", "Body text.", category)
        actions.link_thread(article, thread, bob)
        actions.publish(article, bob)
        for v in range(i % 5):
            actions.vote(article, f"v:bench-{i}-{v}", v != 0)
    return Article.objects.published().order_by("-helpful_count").first().get_absolute_url()


def timed(client, url: str, n: int) -> dict:
    client.get(url)  # warm templates and caches
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return percentiles(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-db", default="onefix_kb_bench")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    use_database(args.backend, pg_db=args.pg_db, sqlite_name="onefix_kb_bench")
    from django.test import Client

    started = time.perf_counter()
    article_url = load(args.articles)
    print(f"loaded demo + {args.articles} articles in {time.perf_counter() - started:.0f} s")
    client = Client()
    print(f"| page ({args.backend}, {args.articles + 5} articles) | p50 ms | p95 ms |")
    print("|---|---|---|")
    for label, url in (("article page", article_url), ("/kb/", "/kb/"), ("front page /", "/")):
        figures = timed(client, url, args.requests)
        print(f"| {label} | {figures['p50']:.1f} | {figures['p95']:.1f} |")


if __name__ == "__main__":
    main()
