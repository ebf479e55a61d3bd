"""A task sent through the broker is executed by a separate worker process."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests import services
from tests.config.workers import ROOT, embedded_env, start_worker, stop_worker, wait_for_heartbeat


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
    worker = start_worker(env, "--queues", queue)
    cache = RedisCache(url, {})
    cache.delete("onefix:celery:heartbeat")
    sender = Celery("onefix-test-sender", broker=url)
    try:
        sender.send_task("config.celery.heartbeat", queue=queue)
        stamp = wait_for_heartbeat(cache, os.getpid())
    finally:
        output = stop_worker(worker)
    assert stamp is not None, f"no worker process executed the task; worker said:\n{output}"
    assert stamp["pid"] == worker.pid


@pytest.mark.worker
def test_filesystem_broker_delivers_across_processes(tmp_path):
    """The embedded default: no server, a real worker, a folder as the queue."""
    env = embedded_env(tmp_path)
    worker = start_worker(env)
    try:
        sender = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from config.celery import heartbeat; heartbeat.delay()",
            ],
            cwd=ROOT,
            env=env,
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
        output = stop_worker(worker)
    assert found, f"the worker never wrote its heartbeat; worker said:\n{output}"
