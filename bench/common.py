"""What every benchmark script shares: its own database, and how latencies are summarised.

A benchmark never touches the developer's database: `use_database()` points Django at
a database of the benchmark's own before Django is set up.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")


def use_database(backend: str, *, pg_db: str, sqlite_name: str, reuse: bool = False) -> None:
    """Create (or, with reuse, keep) the benchmark's database, then set Django up on it.

    PostgreSQL: the database `pg_db` on PG_SERVER, dropped and re-created unless
    `reuse`. SQLite: `<tmp>/<sqlite_name>.sqlite3`, deleted first unless `reuse`.
    No Redis: the embedded defaults, in a temporary data folder.
    """
    os.environ["ONEFIX_DATA_DIR"] = tempfile.mkdtemp(prefix=f"{sqlite_name}-")
    os.environ.pop("REDIS_URL", None)
    if backend == "postgresql":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [pg_db]).fetchone()
            if exists and not reuse:
                conn.execute(f'DROP DATABASE "{pg_db}" WITH (FORCE)')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{pg_db}"')
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{pg_db}"
    else:
        path = Path(tempfile.gettempdir()) / f"{sqlite_name}.sqlite3"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    # DEBUG stays on for static files, but must not record every query's SQL.
    settings.DEBUG = False


def percentiles(times: list[float]) -> dict:
    """p50 / p95 / p99 (inclusive method) and mean of latencies in ms, to 0.1 ms."""
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "p50": round(cuts[49], 1),
        "p95": round(cuts[94], 1),
        "p99": round(cuts[98], 1),
        "mean": round(statistics.fmean(times), 1),
    }


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on (for a server a benchmark starts)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_group(process, timeout: float = 30) -> None:
    """Stop a process a benchmark started in its own session (start_new_session=True),
    with its children: SIGTERM to the group, SIGKILL if it is still there after `timeout`."""
    import os
    import signal
    import subprocess

    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
