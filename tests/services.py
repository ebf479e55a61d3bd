"""Decide whether a test that needs a real service runs, skips or fails.

On a developer laptop a missing PostgreSQL, Redis or Chromium skips the test
with the reason. With CI=true the same absence is a failure: CI must exercise
the real services, never quietly skip them.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("ONEFIX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require(ok: bool, what: str) -> None:
    if ok:
        return
    if IN_CI:
        pytest.fail(f"{what} (CI=true: a missing service is a failure, not a skip)", pytrace=False)
    pytest.skip(what)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def redis_url() -> str:
    """The Redis the tests use: REDIS_URL, or the local server's db 15."""
    return os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def redis_available(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is not None


AXE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "node_modules", "axe-core", "axe.min.js"
)


def axe_available() -> bool:
    """axe-core from npm (package.json; `make test` runs `npm ci`)."""
    return os.path.exists(AXE)
