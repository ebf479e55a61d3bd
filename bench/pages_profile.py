"""Where does an uncached page's time go? cProfile on Django's test client.

    BENCH_PG_DB=onefix_x .venv/bin/python bench/pages_profile.py /questions/1/slug/ [--as alice@example.com]

Runs against the database bench/pages_bench.py built (BENCH_PG_DB, default `bench_pages`,
on BENCH_PG_SERVER; run pages_bench.py first), DEBUG off, the anonymous cache off, the
embedded cache (or Redis at BENCH_REDIS_URL, as pages_bench.py). Prints the CPU per request without the profiler (median of
--requests, after --warm ones), the queries of one request, and the profile's top
functions by cumulative and by own time. A signed-in visitor with --as (a user's email).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--as", dest="email", default=None)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=f"{PG_SERVER}/{os.environ.get('BENCH_PG_DB', 'bench_pages')}",
        DEBUG="false",
        SECRET_KEY="bench-profile-" + "x" * 50,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        ANON_CACHE_SECONDS="0",
        ONEFIX_DATA_DIR=tempfile.mkdtemp(prefix="pages-profile-"),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    if redis := os.environ.get("BENCH_REDIS_URL"):  # as in production: view counts in the cache
        os.environ["REDIS_URL"] = redis
    else:
        os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client()
    if args.email:
        client.force_login(User.objects.get(email=args.email))

    def get():
        response = client.get(args.path)
        if response.status_code != 200:
            sys.exit(f"{args.path}: {response.status_code}")

    for _ in range(args.warm):
        get()
    times = []
    for _ in range(args.requests):
        t0 = time.process_time()
        get()
        times.append((time.process_time() - t0) * 1000)
    with CaptureQueriesContext(connection) as queries:
        get()
    print(f"CPU per request: min {min(times):.2f} / median {statistics.median(times):.2f} ms")
    print(f"{len(queries)} queries:")
    for q in queries.captured_queries:
        print(f"  {q['sql'][:160]}")
    profile = cProfile.Profile(time.process_time)  # CPU, not waiting on PostgreSQL
    profile.enable()
    for _ in range(args.requests):
        get()
    profile.disable()
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
