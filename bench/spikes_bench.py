"""How long does one run of the spike detector take (desk.spikes.detect, issue 13 item 3)?

    .venv/bin/python bench/spikes_bench.py --backend postgresql --per-day 250 --pg-db onefix_spikes

Builds its own database (bench/common.py; on PostgreSQL `--pg-db`, dropped and
re-created): 29 days of customer questions at `--per-day` (250 a day is 100,000 threads
over 400 days, as bench/insights_bench.py) in 6 areas, each with 2 of 50 tags and one
me-too, one in ten in a cluster of five; written in bulk. Then `--rounds` runs of
`detect()` at the same moment (no alert opens on this steady traffic, so each run does
the whole read and judgement): min / median / max in ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import use_database


def build(per_day: int):
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from duplicates.models import Cluster, ClusterMembership
    from forum.models import Category, MeToo, Tag, TaggedThread, Thread

    rng = random.Random(42)
    now = timezone.now()
    customers = User.objects.bulk_create(
        [User(email=f"c{i}@example.com", display_name=f"Customer {i}") for i in range(2000)]
    )
    cats = [Category.objects.create(name=f"Area {i}", slug=f"area-{i}", position=i) for i in range(6)]
    tags = Tag.objects.bulk_create([Tag(name=f"tag{i}", slug=f"tag{i}") for i in range(50)])
    n = per_day * 29
    threads = Thread.objects.bulk_create(
        [
            Thread(
                title=f"Benchmark question {i}",
                slug=f"benchmark-question-{i}",
                body_md="Body.",
                body_html="<p>Body.</p>",
                author=customers[i % len(customers)],
                category=cats[i % len(cats)],
                created_at=now - timedelta(hours=rng.uniform(0, 24 * 29)),
            )
            for i in range(n)
        ],
        batch_size=5000,
    )
    TaggedThread.objects.bulk_create(
        [TaggedThread(content_object=t, tag=tag) for t in threads for tag in rng.sample(tags, 2)],
        batch_size=5000,
    )
    MeToo.objects.bulk_create(
        [
            MeToo(
                user=customers[(i + 7) % len(customers)],
                thread=t,
                created_at=t.created_at + timedelta(minutes=30),
            )
            for i, t in enumerate(threads)
        ],
        batch_size=5000,
    )
    members = []
    for start in range(0, n // 10, 5):
        cluster = Cluster.objects.create()
        members += [
            ClusterMembership(thread=t, cluster=cluster) for t in threads[start * 10 : start * 10 + 50 : 10]
        ]
    ClusterMembership.objects.bulk_create(members, batch_size=5000)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return now


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--per-day", type=int, default=250)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg-db", default="onefix_spikes_bench")
    args = parser.parse_args()
    use_database(args.backend, pg_db=args.pg_db, sqlite_name=f"spikes_bench_{args.per_day}")
    t0 = time.perf_counter()
    now = build(args.per_day)
    print(
        f"built {args.per_day * 29} threads on {args.backend} in {time.perf_counter() - t0:.0f} s", flush=True
    )
    from desk import spikes

    times = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        opened = spikes.detect(now)
        times.append((time.perf_counter() - t) * 1000)
    groups = len(spikes.slot_counts(now))
    print(
        f"detect(): {groups} groups, {len(opened)} opened; "
        f"min / median / max {min(times):.0f} / {statistics.median(times):.0f} / {max(times):.0f} ms",
        flush=True,
    )


if __name__ == "__main__":
    main()
