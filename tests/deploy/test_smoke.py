"""The Procfile's smoke journey (deploy/smoke.py) against PostgreSQL and Redis: the
release line, then web, the three worker families and beat as separate processes, a
customer's and a staff member's journey over HTTP, and a clean stop (issue 14, item 1).

The script makes and drops its own database (`onefix_smoke_<pid>`) on the server of
DATABASE_URL and empties the Celery queues and Django's cache keys in REDIS_URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests import services

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgresql, pytest.mark.redis, pytest.mark.worker]


def _server_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/postgres"


def test_the_procfile_runs_the_whole_journey():
    env = {**os.environ, "DATABASE_URL": _server_url(), "REDIS_URL": services.redis_url()}
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "deploy" / "smoke.py"), "--deadline", "150"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=200,
        check=False,
    )
    assert done.returncode == 0, f"smoke failed:\n{done.stdout}\n{done.stderr}"
    assert "smoke: passed" in done.stdout
