"""How long does one run of the repeated-firefighting job take (desk.firefight.refresh,
issue 13 item 4), and how long does the desk take to read what it stored?

    .venv/bin/python bench/firefight_bench.py --backend postgresql --replies 20000 --pg-db onefix_firefight

Builds its own database (bench/common.py; on PostgreSQL `--pg-db`, dropped and re-created):
`--replies` staff replies over the last 180 days (the job's window), one per customer
question, 8 staff members; every reply 30-60 words drawn from a 5,000-word vocabulary
(Zipf-like, so replies share common words as real ones do), except `--groups` fixes each
re-typed on 3 threads (the words shuffled, a greeting added), which the job must find.
Written in bulk. Then `--rounds` runs of `refresh()` (the first creates the groups, the
others keep them: the steady state) and of the desk's read (`nudges_for`): min / median /
max in ms, with the machine's load average.
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

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su", "gra", "tho", "bel", "dor", "fin"]


def vocabulary(rng: random.Random, n: int = 5000) -> list[str]:
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def build(replies: int, groups: int):
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from forum.models import Category, Post, Thread

    rng = random.Random(13)
    now = timezone.now()
    words = vocabulary(rng)
    weights = [1 / (i + 1) for i in range(len(words))]
    customers = User.objects.bulk_create(
        [User(email=f"c{i}@example.com", display_name=f"Customer {i}") for i in range(1000)]
    )
    staff = User.objects.bulk_create(
        [User(email=f"s{i}@example.com", display_name=f"Staff {i}", role=User.Role.STAFF) for i in range(8)]
    )
    area = Category.objects.create(name="Area", slug="area", position=1)
    texts = []
    fixes = [rng.choices(words, weights, k=40) for _ in range(groups)]
    for fix in fixes:
        for greeting in ("Hi there, thanks for the report!", "Hello, sorry for the trouble.", "Thanks!"):
            shuffled = fix[:]
            rng.shuffle(shuffled)
            texts.append(f"{greeting} {' '.join(shuffled)}.")
    while len(texts) < replies:
        texts.append(" ".join(rng.choices(words, weights, k=rng.randint(30, 60))) + ".")
    threads = Thread.objects.bulk_create(
        [
            Thread(
                title=f"Benchmark question {i}",
                slug=f"benchmark-question-{i}",
                body_md="Body.",
                body_html="<p>Body.</p>",
                author=customers[i % len(customers)],
                category=area,
                created_at=now - timedelta(days=rng.uniform(0.1, 179)),
            )
            for i in range(len(texts))
        ],
        batch_size=5000,
    )
    Post.objects.bulk_create(
        [
            Post(
                thread=t,
                author=staff[i % len(staff)],
                body_md=text,
                body_html=f"<p>{text}</p>",
                created_at=t.created_at + timedelta(hours=1),
            )
            for i, (t, text) in enumerate(zip(threads, texts, strict=True))
        ],
        batch_size=5000,
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return staff


def summary(times: list[float]) -> str:
    return f"min / median / max {min(times):.0f} / {statistics.median(times):.0f} / {max(times):.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--replies", type=int, default=20_000)
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg-db", default="onefix_firefight_bench")
    args = parser.parse_args()
    use_database(args.backend, pg_db=args.pg_db, sqlite_name=f"firefight_bench_{args.replies}")
    t0 = time.perf_counter()
    staff = build(args.replies, args.groups)
    sys.stdout.write(
        f"built {args.replies} staff replies on {args.backend} in {time.perf_counter() - t0:.0f} s\n"
    )
    from desk import firefight
    from desk.models import RepeatGroup

    runs = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        kept = firefight.refresh()
        runs.append((time.perf_counter() - t) * 1000)
    found = RepeatGroup.objects.filter(thread_count=3).count()
    sys.stdout.write(
        f"refresh(): {kept} groups kept ({found} of the {args.groups} planted); {summary(runs)}\n"
    )
    reads = []
    for _ in range(args.rounds * 20):
        t = time.perf_counter()
        firefight.nudges_for(staff[0])
        reads.append((time.perf_counter() - t) * 1000)
    sys.stdout.write(f"nudges_for(): {summary(reads)}\n")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    sys.stdout.write(f"load average (1, 5, 15 min) at the end: {load}; {os.cpu_count()} CPUs\n")


if __name__ == "__main__":
    main()
