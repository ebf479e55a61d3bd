"""A task sent through the broker is executed by a separate worker process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import services

ROOT = Path(__file__).resolve().parents[2]


def _start_worker(env: dict[str, str], *extra: str) -> subprocess.Popen:
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
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for_heartbeat(cache, parent_pid: int, timeout: float = 60) -> dict | None:
    from config.celery import HEARTBEAT_KEY

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stamp = cache.get(HEARTBEAT_KEY)
        if isinstance(stamp, dict) and stamp["pid"] != parent_pid:
            return stamp
        time.sleep(0.3)
    return None


def _stop(worker: subprocess.Popen) -> str:
    worker.terminate()
    try:
        out, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        out, _ = worker.communicate()
    return out


@pytest.mark.worker
@pytest.mark.redis
def test_task_sent_through_redis_runs_in_a_worker_process():
    from celery import Celery
    from django.core.cache.backends.redis import RedisCache

    url = services.redis_url()
    env = {**os.environ, "REDIS_URL": url}
    env.pop("DATABASE_URL", None)  # the worker needs only Redis for this task
    # A queue of this test's own: no other worker on the same Redis can take the task.
    queue = f"onefix-test-{os.getpid()}-{time.monotonic_ns()}"
    worker = _start_worker(env, "--queues", queue)
    cache = RedisCache(url, {})
    cache.delete("onefix:celery:heartbeat")
    sender = Celery("onefix-test-sender", broker=url)
    try:
        sender.send_task("config.celery.heartbeat", queue=queue)
        stamp = _wait_for_heartbeat(cache, os.getpid())
    finally:
        output = _stop(worker)
    assert stamp is not None, f"no worker process executed the task; worker said:\n{output}"
    assert stamp["pid"] == worker.pid


@pytest.mark.worker
def test_filesystem_broker_delivers_across_processes(tmp_path):
    """The embedded default: no server, a real worker, a folder as the queue."""
    env = {
        **os.environ,
        "ONEFIX_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True, timeout=60
    )
    worker = _start_worker(env)
    try:
        sender = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from config.celery import heartbeat; heartbeat.delay()",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert sender.returncode == 0, sender.stderr
        import sqlite3

        deadline = time.monotonic() + 45
        found = False
        while time.monotonic() < deadline and not found:
            with sqlite3.connect(tmp_path / "db.sqlite3") as conn:
                found = conn.execute("SELECT count(*) FROM onefix_cache").fetchone()[0] > 0
            time.sleep(0.3)
    finally:
        output = _stop(worker)
    assert found, f"the worker never wrote its heartbeat; worker said:\n{output}"
