"""Start and stop real Celery worker processes for tests that need one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def embedded_env(data_dir: Path) -> dict[str, str]:
    """The environment of `make run`'s default (SQLite, filesystem broker) in `data_dir`.

    Creates the cache table the worker's heartbeat writes to.
    """
    env = {
        **os.environ,
        "ONEFIX_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True, timeout=60
    )
    return env


def start_worker(env: dict[str, str], *extra: str, log=subprocess.PIPE) -> subprocess.Popen:
    """A solo-pool worker; its output goes to `log` (a pipe unless a file is given)."""
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"test-{os.getpid()}@%h",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for_heartbeat(cache, parent_pid: int, timeout: float = 60) -> dict | None:
    from config.celery import HEARTBEAT_KEY

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stamp = cache.get(HEARTBEAT_KEY)
        if isinstance(stamp, dict) and stamp["pid"] != parent_pid:
            return stamp
        time.sleep(0.3)
    return None


def stop_worker(worker: subprocess.Popen) -> str:
    """SIGTERM (a warm shutdown), SIGKILL after 20 s; returns what it printed to a pipe."""
    worker.terminate()
    try:
        out, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        out, _ = worker.communicate()
    return out or ""
