"""Persistent PostgreSQL connections, and what happens to them when PostgreSQL restarts
(issue 14, item 2), through a real gunicorn worker running config/gunicorn.py.

A restart ends every server process holding a connection; `pg_terminate_backend` on the
web worker's connection does exactly that to it, without stopping the database other
tests share. With health checks (the default) the next request finds the kept
connection dead, opens a new one and answers; without them it would answer 500 once.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests import services

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_web(name: str, port: int, **extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DB_APPLICATION_NAME": name,
        "DEBUG": "true",  # the manifest of collected static files exists only after collectstatic
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_ACCESS_LOG": "",
        "ANON_CACHE_SECONDS": "0",  # every request reaches the database (config/anoncache.py)
        "REDIS_URL": services.redis_url(),
        **extra,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stop(web: subprocess.Popen) -> str:
    if web.poll() is None:
        web.terminate()
    try:
        out, _ = web.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        web.kill()
        out, _ = web.communicate()
    return out or ""


def _get(port: int, path: str = "/questions/") -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_until_up(web: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if web.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{_stop(web)}")
        try:
            _get(port, "/robots.txt")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer:\n{_stop(web)}")


def _backends(name: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s ORDER BY pid", [name])
        return [row[0] for row in cursor.fetchall()]


def _restart_for(pids: list[int]) -> None:
    """What a PostgreSQL restart does to these connections: the server ends them."""
    with connection.cursor() as cursor:
        for pid in pids:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 10
    while set(pids) & set(_backends_any(pids)) and time.monotonic() < deadline:
        time.sleep(0.05)


def _backends_any(pids: list[int]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [pids])
        return [row[0] for row in cursor.fetchall()]


def test_a_web_worker_keeps_its_connection_and_survives_a_database_restart():
    name = f"onefix-test-{uuid.uuid4().hex[:12]}"
    port = _free_port()
    web = _start_web(name, port)
    try:
        _wait_until_up(web, port)
        assert _get(port) == 200
        kept = _backends(name)
        assert len(kept) == 1  # persistent: still open after the response
        assert _get(port) == 200
        assert _backends(name) == kept  # the same connection served the next request

        _restart_for(kept)
        assert _get(port) == 200  # the health check saw it dead and opened a new one
        again = _backends(name)
        assert len(again) == 1 and again != kept
    finally:
        out = _stop(web)
    assert "Traceback" not in out, out


def test_without_health_checks_the_first_request_after_a_restart_fails():
    """Why the default matters: the same restart, checks off, costs a visitor a 500."""
    name = f"onefix-test-{uuid.uuid4().hex[:12]}"
    port = _free_port()
    web = _start_web(name, port, DB_CONN_HEALTH_CHECKS="false")
    try:
        _wait_until_up(web, port)
        assert _get(port) == 200
        _restart_for(_backends(name))
        assert _get(port) == 500
        assert _get(port) == 200  # Django drops the broken connection after the error
    finally:
        _stop(web)
