"""The 50-user mixed load of issue 14, against the production shape on this machine.

    .venv/bin/pip install -c constraints.txt -e '.[bench]'     # locust
    .venv/bin/python bench/load_bench.py                      # 50 users, 10 minutes
    .venv/bin/python bench/load_bench.py --users 20 --minutes 2

Starts everything it needs and stops it by process id at the end: a fresh PostgreSQL
database (`bench_load`), Redis db 7 (flushed) as cache and broker, the demo data plus
members with passwords, gunicorn (config/gunicorn.py, its default worker count), one
Celery worker per queue family (linking, mail, the rest) and beat. Then locust, headless
(bench/locustfile.py: visitors reading, members reading and writing, new questions), and
after it: how long until every question asked under load has its link job done.

Prints per endpoint: requests, failures, p50 / p95 / p99 (ms); the 5xx answers counted
in gunicorn's access log; the anonymous cache's hits and misses (same log); the read /
action / ask split; and the link jobs. Rate limits
are off for the run: they count per address and every simulated person is 127.0.0.1.
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import free_port, stop_group  # noqa: E402

BIN = Path(sys.executable).parent
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
PASSWORD = "load-test-password-1"  # noqa: S105 - made-up members of a throw-away database

SEED = r"""
import json
from allauth.account.models import EmailAddress
from accounts.models import User
from forum.models import Category, Post, Thread
from kb.models import Article
members = []
for i in range(40):
    email = f"member{i}@example.com"
    user = User.objects.create_user(email=email, password=%(password)r, display_name=f"Member {i}")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    members.append(email)
threads = list(Thread.objects.filter(is_deleted=False).values_list("pk", flat=True))
answers = list(Post.objects.filter(is_deleted=False).values_list("pk", flat=True))
articles = [a.get_absolute_url() for a in Article.objects.filter(status="published")]
print("DATA " + json.dumps({
    "members": members, "password": %(password)r, "threads": threads, "answers": answers,
    "articles": articles, "categories": list(Category.objects.values_list("pk", flat=True)),
    "words": ["sync", "login", "password", "export", "offline", "notes", "calendar", "cant login"],
    "topics": list(Thread.objects.filter(is_deleted=False).values_list("title", flat=True)[:30]),
}))
"""


def run(env: dict, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--spawn-rate", type=float, default=5)
    args = parser.parse_args()

    import psycopg
    import redis

    work = Path(tempfile.mkdtemp(prefix="load-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG_SERVER}/bench_load",
        "REDIS_URL": REDIS,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ONEFIX_DATA_DIR": str(work),
        "EMAIL_URL": f"file://{work / 'mail'}",
        "RATELIMIT_ENABLE": "false",
        "RATE_LIMIT_LOGIN": "10000/m/ip",
        "SPAM_MIN_FILL_SECONDS": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_ACCESS_LOG": str(work / "access.log"),
        "LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": str(work / "prometheus"),
    }
    env.pop("BENCH_HELLO", None)
    (work / "prometheus").mkdir()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "bench_load" WITH (FORCE)')
        conn.execute('CREATE DATABASE "bench_load"')
    redis.Redis.from_url(REDIS).flushdb()
    t0 = time.monotonic()
    run(env, "migrate", "--noinput", "-v0")
    run(env, "load_demo", "-v0")
    run(env, "collectstatic", "--noinput", "-v0")
    data_line = next(
        x
        for x in run(env, "shell", stdin=SEED % {"password": PASSWORD}).splitlines()
        if x.startswith("DATA ")
    )
    (work / "data.json").write_text(data_line[5:])
    print(f"built in {time.monotonic() - t0:.0f} s; files in {work}", flush=True)

    celery = [str(BIN / "celery"), "-A", "config"]
    processes = {
        "web": start([sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn", "config.wsgi"], env, work / "web.log"),
        "linking": start([*celery, "worker", "-Q", "linking", "-n", "linking@%h", "-c", "1", "-l", "WARNING"], env, work / "linking.log"),
        "mail": start([*celery, "worker", "-Q", "mail", "-n", "mail@%h", "-c", "2", "-l", "WARNING"], env, work / "mail.log"),
        "jobs": start([*celery, "worker", "-Q", "celery,health", "-n", "jobs@%h", "-c", "1", "-l", "WARNING"], env, work / "jobs.log"),
        "beat": start([*celery, "beat", "-l", "WARNING", "--schedule", str(work / "beat-schedule")], env, work / "beat.log"),
    }  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("gunicorn did not answer")
                time.sleep(0.5)
        started = time.time()
        print(f"load: {args.users} users for {args.minutes} min", flush=True)
        locust = subprocess.run(  # noqa: S603
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{int(args.minutes * 60)}s",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(work / "locust"), "--only-summary",
             "--stop-timeout", "10"],
            env={**env, "ONEFIX_LOAD_DATA": str(work / "data.json")}, capture_output=True, text=True,
        )  # fmt: skip
        load_ended = time.time()
        link_done = wait_for_links(env, started)
        dead = {name: p.returncode for name, p in processes.items() if p.poll() is not None}
    finally:
        for process in processes.values():
            stop_group(process)
    report(work, locust, link_done, load_ended, dead)


def wait_for_links(env: dict, since: float) -> dict:
    """Every question asked under load: its link job done? Polls up to 3 minutes."""
    script = (
        "from datetime import datetime, timezone as tz\n"
        "from forum.models import Thread\nfrom jobs.models import PendingJob\n"
        f"since = datetime.fromtimestamp({since}, tz.utc)\n"
        "asked = list(Thread.objects.filter(created_at__gte=since).values_list('pk', flat=True))\n"
        "jobs = PendingJob.objects.filter(kind='link', payload__thread_id__in=asked)\n"
        "print('LINKS', len(asked), jobs.count(), jobs.filter(done_at__isnull=False).count(), "
        "jobs.filter(attempts__gt=1).count())\n"
    )
    t0 = time.monotonic()
    while True:
        line = next(x for x in run(env, "shell", stdin=script).splitlines() if x.startswith("LINKS"))
        asked, jobs, done, retried = map(int, line.split()[1:])
        if (asked == jobs == done) or time.monotonic() - t0 > 180:
            return {
                "asked": asked,
                "jobs": jobs,
                "done": done,
                "retried": retried,
                "after_s": time.monotonic() - t0,
            }
        time.sleep(2)


def report(work: Path, locust, link_done: dict, load_ended: float, dead: dict) -> None:
    rows = list(csv.DictReader((work / "locust_stats.csv").open()))
    print("\n| endpoint | requests | failures | p50 (ms) | p95 (ms) | p99 (ms) |")
    print("|---|---|---|---|---|---|")
    split = {"read": 0, "action": 0, "ask": 0}
    for row in rows:
        name = row["Name"]
        print(f"| {row['Type']} {name} | {row['Request Count']} | {row['Failure Count']} | "
              f"{row['50%']} | {row['95%']} | {row['99%']} |")  # fmt: skip
        if name == "Aggregated":
            continue
        kind = "ask" if name.startswith("ask") else "action" if row["Type"] == "POST" else "read"
        split[kind] += int(row["Request Count"])
    total = sum(split.values()) or 1
    print("\nsplit: " + ", ".join(f"{k} {v} ({100 * v / total:.1f} %)" for k, v in split.items()))
    access = (work / "access.log").read_text().splitlines() if (work / "access.log").exists() else []
    five = [line for line in access if '" 5' in line]
    print(f"5xx in gunicorn's access log: {len(five)} of {len(access)} requests")
    for line in five[:5]:
        print("   ", line)
    hits = sum(line.endswith("cache=hit") for line in access)
    misses = sum(line.endswith("cache=miss") for line in access)
    print(f"anonymous cache: {hits} hits, {misses} misses ({100 * hits / ((hits + misses) or 1):.1f} % hits)")
    print(f"link jobs: {link_done}")
    if dead:
        print(f"processes that died during the run: {dead}")
    failures = (work / "locust_failures.csv").read_text() if (work / "locust_failures.csv").exists() else ""
    if failures.count("\n") > 1:
        print("failures:\n" + failures)
    if locust.returncode not in (0, 1):
        print(locust.stdout[-3000:], locust.stderr[-3000:])
    print(f"\nfiles (logs, CSV): {work}")


if __name__ == "__main__":
    main()
