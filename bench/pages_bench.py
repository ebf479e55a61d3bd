"""What does a page cost next to a bare view? Through gunicorn, as in production.

    .venv/bin/python bench/pages_bench.py                 # 3 rounds x 5 s per page
    .venv/bin/python bench/pages_bench.py --rounds 5 --seconds 8

Builds its own PostgreSQL database (`bench_pages`, or BENCH_PG_DB: migrate, the demo data, one thread
with 100 answers), collects static files, and starts two gunicorns (config/gunicorn.py,
2 sync workers each, DEBUG off, Redis db 8 as cache and broker): one with the anonymous
cache on, one with it off (ANON_CACHE_SECONDS=0), so "cached" and "uncached" are the same
code and data. Then, round after round, `wrk` (1 thread, 2 connections) loads each page
in turn, the hello view (/_bench/hello: no query, no template, every middleware) first,
so each page's throughput is read as a share of hello's *in the same round*: the machine
is shared, and ratios travel better than absolute figures. Worker CPU per request: the
gunicorn workers' user+system time (/proc) over the page's run, divided by its requests.

Prints one line per page per round and a summary (min / median / max over the rounds).
Stops both servers by their process ids at the end (and on Ctrl-C). Needs `wrk`
(Debian: apt-get install wrk), PostgreSQL and Redis on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import free_port, stop_group  # noqa: E402

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
DB = os.environ.get("BENCH_PG_DB", "bench_pages")  # another name keeps parallel runs apart
PY = sys.executable

SETUP = r"""
from forum import actions
from forum.models import Category, Thread
from accounts.models import User
from allauth.account.models import EmailAddress
from django.utils import timezone
from datetime import timedelta
cat = Category.objects.order_by("position").first()
def person(email, name):
    user = User.objects.create_user(email=email, password=None, display_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user
asker = person("bench-asker@example.com", "Bench Asker")
start = timezone.now() - timedelta(days=3)
t = actions.create_thread(asker, "Sync stalls at 99 percent on large notebooks",
    "Since the update a notebook with many attachments stalls at 99 percent.", cat, ["sync"], created_at=start)
people = [person(f"bench{i}@example.com", f"Bench {i}") for i in range(20)]
for i in range(100):
    actions.add_answer(t, people[i % 20], f"Answer {i}: this worked for me, **try** signing out and in, then `resync` the notebook.",
        created_at=start + timedelta(minutes=i))
print("BIG", t.get_absolute_url())
demo = Thread.objects.filter(answer_count__gte=2, answer_count__lte=3, is_deleted=False).exclude(pk=t.pk).order_by("pk").first()
print("DEMO", demo.get_absolute_url())
from kb.models import Article
a = Article.objects.filter(status="published").order_by("pk").first()
print("KB", a.get_absolute_url())
"""


def base_env(data_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG_SERVER}/{DB}",
        "REDIS_URL": REDIS,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "ONEFIX_DATA_DIR": data_dir,
        "BENCH_HELLO": "true",
        "WEB_CONCURRENCY": "2",
        "WEB_ACCESS_LOG": "",
        "WEB_MAX_REQUESTS": "0",  # no worker recycling mid-run: its CPU time would start again
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(  # noqa: S603
        [PY, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def build(env: dict) -> dict[str, str]:
    import psycopg
    import redis

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    redis.Redis.from_url(REDIS).flushdb()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    out = manage(env, "shell", stdin=SETUP)
    return dict(
        line.split(" ", 1) for line in out.splitlines() if line.split(" ", 1)[0] in {"BIG", "DEMO", "KB"}
    )


def start(env: dict, port: int, cache_seconds: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [PY, "-m", "gunicorn", "-c", "python:config.gunicorn", "config.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "ANON_CACHE_SECONDS": str(cache_seconds)},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_bench/hello", timeout=5).read()
            return server
        except OSError:
            time.sleep(0.3)
    stop_group(server)
    sys.exit("gunicorn did not start")


def worker_cpu(server: subprocess.Popen) -> float:
    """User + system seconds of the gunicorn workers (children of the master; none is
    recycled during the run: WEB_MAX_REQUESTS=0)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def wrk(url: str, seconds: int) -> tuple[float, int, float, float]:
    """requests/s, requests, p50 ms, p99 ms."""
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t1", "-c2", f"-d{seconds}s", "--latency", url],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    count = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        sys.exit(f"{url}: {non2xx.group(1)} non-2xx responses")

    def pct(name: str) -> float:
        value, unit = re.search(rf"{name}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return rps, count, pct("50"), pct("99")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="pages-bench-")
    env = base_env(data_dir)
    t0 = time.monotonic()
    urls = build(env)
    print(f"built in {time.monotonic() - t0:.0f} s: {urls}", flush=True)
    cached_port, plain_port = free_port(), free_port()
    cached = start(env, cached_port, 600)
    plain = start(env, plain_port, 0)
    pages = [
        ("hello", cached, f"http://127.0.0.1:{cached_port}/_bench/hello"),
        ("demo thread, anonymous cache", cached, f"http://127.0.0.1:{cached_port}{urls['DEMO']}"),
        ("100-answer thread, anonymous cache", cached, f"http://127.0.0.1:{cached_port}{urls['BIG']}"),
        ("demo thread, uncached", plain, f"http://127.0.0.1:{plain_port}{urls['DEMO']}"),
        ("100-answer thread, uncached", plain, f"http://127.0.0.1:{plain_port}{urls['BIG']}"),
        ("/questions/, uncached", plain, f"http://127.0.0.1:{plain_port}/questions/"),
        ("KB article, uncached", plain, f"http://127.0.0.1:{plain_port}{urls['KB']}"),
        ("/search/?q=sync", plain, f"http://127.0.0.1:{plain_port}/search/?q=sync"),
        ("home, uncached", plain, f"http://127.0.0.1:{plain_port}/"),
    ]
    results: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name, _, _ in pages}
    try:
        for _, _, url in pages:  # warm up: fill the cache, open connections, import lazily
            wrk(url, 1)
        for r in range(1, args.rounds + 1):
            hello_rps = None
            for name, server, url in pages:
                before = worker_cpu(server)
                rps, count, p50, p99 = wrk(url, args.seconds)
                cpu_ms = (worker_cpu(server) - before) * 1000 / max(count, 1)
                hello_rps = hello_rps or rps
                share = rps / hello_rps
                results[name].append((share, cpu_ms, p50, p99))
                print(
                    f"round {r}  {name:38s} {rps:8.1f} req/s  share of hello {share:6.3f}  "
                    f"worker CPU {cpu_ms:6.2f} ms/req  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms",
                    flush=True,
                )
    finally:
        stop_group(cached)
        stop_group(plain)

    def mmm(values: list[float], fmt: str) -> str:
        return " / ".join(format(v, fmt) for v in (min(values), statistics.median(values), max(values)))

    print("\n| page | share of hello's throughput | worker CPU per request (ms) | p50 (ms) | p99 (ms) |")
    print("|---|---|---|---|---|")
    for name, rows in results.items():
        print(
            f"| {name} | {mmm([x[0] for x in rows], '.3f')} | {mmm([x[1] for x in rows], '.2f')} | "
            f"{mmm([x[2] for x in rows], '.1f')} | {mmm([x[3] for x in rows], '.1f')} |"
        )
    print(f"\n{args.rounds} rounds x {args.seconds} s per page; min / median / max over the rounds.")


if __name__ == "__main__":
    main()
