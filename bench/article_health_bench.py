"""How long does the hourly "needs review" run take (kb.health.recompute_all, issue 13 item 5)?

    .venv/bin/python bench/article_health_bench.py --backend postgresql --articles 1000 --pg-db onefix_ah_bench

Builds its own database (bench/common.py; on PostgreSQL `--pg-db`, dropped and
re-created): `--articles` published articles, each promoted from a question in a
cluster of 10 questions (0 to 4 of them asked after the article was published), with 40
votes each (one article in four mostly "No"), one in five published over 180 days ago;
`--extra-threads` more questions outside any cluster; written in bulk. Then `--rounds`
runs of `recompute_all()`: the first stores the verdicts, the later ones find nothing to
change (the steady hourly case). min / median / max in ms, and the load average.
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

from bench.common import use_database


def build(n_articles: int, extra_threads: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from duplicates.models import Cluster, ClusterMembership
    from forum.models import Category, Thread
    from kb.models import Article, ArticleSource, HelpfulVote

    rng = random.Random(42)
    now = timezone.now()
    staff = User.objects.create(email="staff@example.com", display_name="Staff", role=User.Role.STAFF)
    customers = User.objects.bulk_create(
        [User(email=f"c{i}@example.com", display_name=f"Customer {i}") for i in range(500)]
    )
    category = Category.objects.create(name="Area", slug="area", position=1)
    published = [now - timedelta(days=rng.choice([30, 60, 90, 200])) for _ in range(n_articles)]

    def thread(i: int, when) -> Thread:
        return Thread(
            title=f"Benchmark question {i}", slug=f"benchmark-question-{i}", body_md="Body.",
            body_html="<p>Body.</p>", author=customers[i % len(customers)], category=category,
            created_at=when,
        )  # fmt: skip

    threads = []
    for a in range(n_articles):
        after = a % 5  # 0 to 4 of its 10 questions asked after it was published
        for k in range(10):
            when = published[a] + timedelta(days=(k - 10 + after) * 2 + 1)
            threads.append(thread(a * 10 + k, when))
    threads += [thread(n_articles * 10 + i, now - timedelta(days=i % 400)) for i in range(extra_threads)]
    threads = Thread.objects.bulk_create(threads, batch_size=5000)
    clusters = Cluster.objects.bulk_create([Cluster() for _ in range(n_articles)])
    ClusterMembership.objects.bulk_create(
        [ClusterMembership(thread=threads[a * 10 + k], cluster=clusters[a]) for a in range(n_articles) for k in range(10)],
        batch_size=5000,
    )  # fmt: skip
    articles = Article.objects.bulk_create(
        [
            Article(
                title=f"How to fix problem {a}", slug=f"how-to-fix-problem-{a}", body_md="Fix.",
                body_html="<p>Fix.</p>", category=category, author=staff, status="published",
                created_at=published[a], published_at=published[a], updated_at=published[a],
                live_since=published[a], reviewed_at=published[a],
            )
            for a in range(n_articles)
        ],
        batch_size=2000,
    )  # fmt: skip
    ArticleSource.objects.bulk_create(
        [ArticleSource(article=articles[a], thread=threads[a * 10]) for a in range(n_articles)],
        batch_size=5000,
    )
    HelpfulVote.objects.bulk_create(
        [
            HelpfulVote(
                article=article, voter=f"v:{article.pk}-{v}", helpful=rng.random() < (0.3 if a % 4 == 0 else 0.8),
                created_at=published[a] + timedelta(hours=v + 1),
            )
            for a, article in enumerate(articles)
            for v in range(40)
        ],
        batch_size=5000,
    )  # fmt: skip
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--extra-threads", type=int, default=90_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg-db", default="onefix_article_health_bench")
    args = parser.parse_args()
    use_database(args.backend, pg_db=args.pg_db, sqlite_name=f"article_health_bench_{args.articles}")
    t0 = time.perf_counter()
    build(args.articles, args.extra_threads)
    total = args.articles * 10 + args.extra_threads
    print(
        f"built {args.articles} articles, {total} threads on {args.backend} in {time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    from kb import health

    times, flagged = [], 0
    for _ in range(args.rounds):
        t = time.perf_counter()
        flagged = health.recompute_all()
        times.append((time.perf_counter() - t) * 1000)
    rest = times[1:] or times
    print(
        f"recompute_all(): {flagged} of {args.articles} flagged; first run (stores) {times[0]:.0f} ms; "
        f"later runs min / median / max {min(rest):.0f} / {statistics.median(rest):.0f} / {max(rest):.0f} ms; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )


if __name__ == "__main__":
    main()
