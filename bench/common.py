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


_ENTRY_COLUMNS = (
    "title",
    "body",
    "tags_text",
    "url",
    "category",
    "category_name",
    "is_public",
    "solved",
    "status",
    "status_label",
    "boost",
    "created_at",
    "updated_at",
    "indexed_at",
)


def copy_index(docs, *, total: int | None = None, chunk: int = 10_000) -> int:
    """PostgreSQL only: write documents into an empty search index with COPY.

    The rows are those `search.index.upsert_many` writes (same `entry_values`), without
    ORM objects or a vocabulary upsert per batch: the full-text (GIN) and tag indexes
    are dropped first and rebuilt once at the end, instead of being updated row by row
    (1M documents took 29 minutes on the shared 2-core machine, most of it generating
    the text). Unique constraints stay. The caller then recounts the
    vocabulary (`search.index.recount_words`) and runs VACUUM ANALYZE.
    Returns the number of documents written.
    """
    import sys
    import time

    from django.db import connection, transaction

    from search.index import entry_values

    assert connection.vendor == "postgresql", "copy_index is for PostgreSQL"
    tables = ("search_searchentry", "search_searchtag")
    started = time.perf_counter()
    done = 0
    with transaction.atomic():
        cursor = connection.cursor().cursor  # the psycopg cursor, for COPY
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM search_searchentry")
        next_id = cursor.fetchone()[0] + 1
        entry_sql = f"COPY search_searchentry (id, kind, object_id, {', '.join(_ENTRY_COLUMNS)}) FROM STDIN"
        batch = []

        def flush():
            nonlocal next_id, done
            tag_rows = []
            with cursor.copy(entry_sql) as copy:
                for kind, object_id, values, tags in batch:
                    copy.write_row((next_id, kind, object_id, *(values[c] for c in _ENTRY_COLUMNS)))
                    tag_rows.extend((next_id, name) for name in tags)
                    next_id += 1
            with cursor.copy("COPY search_searchtag (entry_id, name) FROM STDIN") as copy:
                for row in tag_rows:
                    copy.write_row(row)
            done += len(batch)
            batch.clear()
            rate = done / (time.perf_counter() - started)
            of = f"/{total:,}" if total else ""
            print(f"\rcopied {done:,}{of} documents ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)

        for doc in docs:
            values, tags = entry_values(doc)
            batch.append((doc.kind, int(doc.object_id), values, tags))
            if len(batch) == chunk:
                flush()
        if batch:
            flush()
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('search_searchentry', 'id'), "
            "(SELECT COALESCE(MAX(id), 1) FROM search_searchentry))"
        )
        print(f"\nrebuilding {len(indexes)} indexes…", file=sys.stderr, flush=True)
        # Django's foreign keys are checked at commit; CREATE INDEX refuses a table
        # with checks still pending, so run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            cursor.execute(definition)
    return done


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages and the core count, for a figure's record
    (the machine is shared: a figure means little without how busy it was)."""
    import os

    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"
