"""How fast is /desk/ with many threads? And taking a claim, and "Next"?

    .venv/bin/python bench/desk_bench.py --backend sqlite --threads 10000
    .venv/bin/python bench/desk_bench.py --backend postgresql --threads 100000

--db-name names the benchmark's database (default: onefix_desk_bench_<threads> on
PostgreSQL, <tmp>/desk_bench_<threads>.sqlite3), so two runs side by side do not collide.

Builds its own database (bench/common.py): threads written in bulk (not through the
actions: 100k asks would take an hour; the fields the desk reads are set as the actions
would set them), 10 % of them waiting, spread over 10 days of waits, people 1-40, one
waiting thread in twenty in a cluster of two; then VACUUM ANALYZE (PostgreSQL) or
ANALYZE (SQLite), as a live database would have had. Then, per round, 30 requests of /desk/ as
a staff member through Django's test client (the whole view, middleware and template,
no network), and 30 take + release pairs and 30 "Next" + release pairs through the
actions. Reports p50 and p95 per round, and min / median / max over the rounds.
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
    from accounts.models import User
    from duplicates.models import Cluster, ClusterMembership
    from forum.models import Category, Thread

    rng = random.Random(42)
    now = timezone.now()
    customers = User.objects.bulk_create(
        [User(email=f"c{i}@example.com", display_name=f"Customer {i}") for i in range(500)]
    )
    User.objects.create_user(email="staff@example.com", password=None, display_name="Staff", role="staff")
    cats = [Category.objects.create(name=f"Area {i}", slug=f"area-{i}", position=i) for i in range(6)]
    batch = []
    for i in range(n):
        waiting = i % 10 == 0
        asked = now - timedelta(hours=rng.uniform(0, 240) if waiting else rng.uniform(0, 24 * 400))
        batch.append(
            Thread(
                title=f"Benchmark question {i}", slug=f"benchmark-question-{i}", body_md="Body.",
                body_html="<p>Body.</p>", author=customers[i % len(customers)], category=cats[i % len(cats)],
                created_at=asked, last_activity_at=asked, status="waiting" if waiting else "solved",
                waiting_since=asked if waiting else None, people_count=rng.randint(1, 40),
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Thread.objects.bulk_create(batch)
            batch = []
    Thread.objects.bulk_create(batch)
    waiting = list(Thread.objects.waiting().values_list("pk", flat=True))
    for a, b in list(zip(waiting[::40], waiting[1::40], strict=False)):
        cluster = Cluster.objects.create(people_count=rng.randint(2, 60))
        ClusterMembership.objects.bulk_create(
            [ClusterMembership(thread_id=a, cluster=cluster), ClusterMembership(thread_id=b, cluster=cluster)]
        )
    # What a live database has: PostgreSQL's autovacuum keeps statistics and the visibility
    # map (index-only scans); SQLite has statistics once ANALYZE ran (as bench/search_bench.py).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def measure(rounds: int, per_round: int) -> dict:
    from django.test import Client

    from accounts.models import User
    from desk import actions
    from forum.models import Thread

    staff = User.objects.get(email="staff@example.com")
    client = Client()
    client.force_login(staff)
    client.get("/desk/")  # warm
    # Wall time, and this process's CPU time: on a busy shared machine the second moves far
    # less (on SQLite it is nearly all the work; on PostgreSQL the server's share is not in it).
    results: dict[str, list[dict]] = {
        name: [] for name in ("desk", "take", "next", "desk cpu", "take cpu", "next cpu")
    }
    candidates = list(
        Thread.objects.waiting().order_by("?").values_list("pk", flat=True)[: rounds * per_round]
    )

    def timed(fn, walls: list, cpus: list):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
        return out

    for r in range(rounds):
        times, cpus = [], []
        for _ in range(per_round):
            response = timed(lambda: client.get("/desk/"), times, cpus)
            assert response.status_code == 200
        results["desk"].append(percentiles(times))
        results["desk cpu"].append(percentiles(cpus))
        takes, take_cpus, nexts, next_cpus = [], [], [], []
        for pk in candidates[r * per_round : (r + 1) * per_round]:
            thread = Thread.objects.get(pk=pk)
            timed(lambda thread=thread: actions.take(staff, thread), takes, take_cpus)
            actions.release(staff, thread)
            taken = timed(lambda: actions.take_next(staff), nexts, next_cpus)
            actions.release(staff, taken)
        results["take"].append(percentiles(takes))
        results["take cpu"].append(percentiles(take_cpus))
        results["next"].append(percentiles(nexts))
        results["next cpu"].append(percentiles(next_cpus))
    summary = {}
    for name, per in results.items():
        summary[name] = {
            stat: (
                min(p[stat] for p in per),
                statistics.median(p[stat] for p in per),
                max(p[stat] for p in per),
            )
            for stat in ("p50", "p95")
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=30)
    parser.add_argument(
        "--db-name",
        default="desk_bench",
        help="the benchmark database's name (plus the size), so runs side by side do not collide",
    )
    args = parser.parse_args()
    name = f"{args.db_name}_{args.threads}"
    use_database(
        args.backend, pg_db=f"onefix_{name}" if args.db_name == "desk_bench" else name, sqlite_name=name
    )
    t0 = time.perf_counter()
    build(args.threads)
    print(f"built {args.threads} threads on {args.backend} in {time.perf_counter() - t0:.0f} s", flush=True)
    load_before = os.getloadavg()[0]
    summary = measure(args.rounds, args.per_round)
    # The machine's 1-minute load average before and after: latencies on a shared machine
    # mean little without it.
    print(f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, stats in summary.items():
        line = "  ".join(f"{s} {lo:.1f} / {med:.1f} / {hi:.1f} ms" for s, (lo, med, hi) in stats.items())
        print(f"{name:8} (min / median / max over rounds)  {line}")


if __name__ == "__main__":
    main()
