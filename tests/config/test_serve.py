"""`serve` keeps the site up when the worker dies, and stops everything it started."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from config.management.commands.serve import WorkerSupervisor, restart_delay
from tests.config.workers import ROOT, embedded_env


def test_restart_delay_doubles_while_the_worker_keeps_failing_quickly():
    assert [restart_delay(n, [], now=0) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_restart_delay_allows_at_most_five_restarts_a_minute():
    starts = [100, 101, 103, 106, 110]
    assert restart_delay(1, starts, now=111) == 49  # until the start at 100 is a minute old
    assert restart_delay(1, starts[1:], now=111) == 1  # four in the last minute: just the backoff


class FakeProcess:
    pids = iter(range(1000, 2000))

    def __init__(self):
        self.pid = next(self.pids)
        self.returncode = None

    def poll(self):
        return self.returncode


def test_supervisor_starts_a_new_worker_after_the_backoff_when_one_exits(monkeypatch):
    monkeypatch.setattr("config.management.commands.serve._kill_group", lambda pid: None)
    clock = [0.0]
    said = []
    supervisor = WorkerSupervisor(FakeProcess, said.append, now=lambda: clock[0])
    first = supervisor.process
    supervisor.check()
    assert supervisor.process is first

    first.returncode = 1
    clock[0] = 5.0
    supervisor.check()  # notices the exit; waits 1 s
    clock[0] = 5.5
    supervisor.check()
    assert supervisor.process is first
    clock[0] = 6.0
    supervisor.check()
    assert supervisor.process is not first
    assert supervisor.process.poll() is None
    assert f"pid {first.pid}) exited with code 1" in said[1]

    supervisor.process.returncode = -9  # fails again at once: the wait doubles
    supervisor.check()
    assert supervisor.restart_at == 8.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthz(port: int) -> tuple[int, dict] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)
    except OSError:
        return None


def _until(condition, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}; serve said:\n{log.read_text()[-4000:]}")


def _pids(log: Path, what: str) -> list[int]:
    return [int(p) for p in re.findall(rf"{what} started \(pid (\d+)\)", log.read_text())]


def _group_alive(pgid: int) -> bool:
    """Any process, other than a zombie, still in process group `pgid` (Linux /proc)?"""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


@pytest.mark.worker
def test_serve_restarts_a_killed_worker_while_the_site_keeps_answering(tmp_path):
    env = embedded_env(tmp_path)
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "serve", "--addr", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _until(lambda: (h := _healthz(port)) and h[0] == 200, 90, "/healthz to turn 200", log)
        [worker] = _pids(log, "Celery worker")

        os.kill(worker, signal.SIGKILL)
        killed_at = time.time()
        answers = []

        def green_again():
            if serve.poll() is not None:
                pytest.fail(f"serve exited after the worker was killed:\n{log.read_text()[-4000:]}")
            h = _healthz(port)
            answers.append(h is not None)
            age = h and h[1]["worker_heartbeat_age_seconds"]
            # 200 on a heartbeat stamped after the kill: a new worker is working.
            return h and h[0] == 200 and age is not None and age < time.time() - killed_at - 0.2

        _until(green_again, 90, "/healthz to turn green again after the kill", log)
        assert all(answers), "the web server stopped answering while the worker was down"
        web_pids = _pids(log, "Web server")
        worker_pids = _pids(log, "Celery worker")
        assert len(worker_pids) == 2
        assert worker_pids[1] != worker
        text = log.read_text()
        assert f"pid {worker}) exited with code -9" in text
        assert f"Onefix is running at http://127.0.0.1:{port}/" in text
        # The worker logs at WARNING: no line per heartbeat or routine task (it ran one
        # heartbeat at start and another after the restart).
        assert "config.celery.heartbeat" not in text
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
    assert serve.returncode == 0, log.read_text()[-4000:]
    left = [pid for pid in web_pids + worker_pids if _group_alive(pid)]
    assert not left, f"process groups still running after serve stopped: {left}"
