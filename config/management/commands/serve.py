"""Run the web server and a real Celery worker (with beat) together.

Used by `make run`. The worker is supervised: if it exits on its own (a crash,
an out-of-memory kill), serve says so and starts a new one, waiting 1 s, then
2, 4 … up to 30 s while it keeps failing quickly, and never more than five
starts a minute, so a crash loop does not spin. The web server keeps answering
meanwhile (/healthz reports the worker as down).

What it prints: the children's start, then, once /healthz answers, the address, the
demo accounts (when the demo is loaded) and where emails go, last, so they are on screen.
The worker logs at WORKER_LOG_LEVEL (default WARNING): its heartbeat every 10 s and every
routine task would otherwise print lines forever. Links in emails follow the address
served: SITE_URL is set to it for both children unless it was set.

Ctrl-C or SIGTERM stops both: each child runs in its own process group so that
the whole group (runserver's reloader, the worker's pool processes) is
terminated, then killed if it does not stop in time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import deque
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from accounts.models import User
from demo import people

BACKOFF_FIRST = 1.0  # seconds before restarting a worker that exited
BACKOFF_MAX = 30.0
STABLE_AFTER = 60.0  # a worker that ran this long resets the backoff
MAX_STARTS_PER_MINUTE = 5
POLL = 0.5  # how often serve looks at its children


def restart_delay(quick_failures: int, starts: Sequence[float], now: float) -> float:
    """Seconds to wait before starting a worker again.

    Doubles with each consecutive quick failure (1, 2, 4 … BACKOFF_MAX), and is
    long enough that at most MAX_STARTS_PER_MINUTE restarts fall in any minute
    (`starts`: monotonic times of earlier restarts, oldest first).
    """
    delay = min(BACKOFF_FIRST * 2 ** max(quick_failures - 1, 0), BACKOFF_MAX)
    recent = [t for t in starts if now - t < 60]
    if len(recent) >= MAX_STARTS_PER_MINUTE:
        delay = max(delay, recent[-MAX_STARTS_PER_MINUTE] + 60 - now)
    return delay


class WorkerSupervisor:
    """Keeps one worker process running; `check()` is called every POLL seconds."""

    def __init__(
        self,
        start: Callable[[], subprocess.Popen],
        say: Callable[[str], None],
        now: Callable[[], float] = time.monotonic,
    ):
        self._start = start
        self._say = say
        self._now = now
        self._starts: deque[float] = deque(maxlen=MAX_STARTS_PER_MINUTE)
        self._quick_failures = 0
        self.restart_at: float | None = None
        self.process = self._spawn()

    def _spawn(self) -> subprocess.Popen:
        self.started_at = self._now()
        process = self._start()
        self._say(f"Celery worker started (pid {process.pid}).")
        return process

    def check(self) -> None:
        now = self._now()
        if self.restart_at is None:
            code = self.process.poll()
            if code is None:
                return
            # A worker killed outright leaves its pool processes behind.
            _kill_group(self.process.pid)
            ran = now - self.started_at
            self._quick_failures = 1 if ran >= STABLE_AFTER else self._quick_failures + 1
            delay = restart_delay(self._quick_failures, self._starts, now)
            self.restart_at = now + delay
            self._say(
                f"The Celery worker (pid {self.process.pid}) exited with code {code} after "
                f"{ran:.0f} s; starting a new one in {delay:.0f} s."
            )
        elif now >= self.restart_at:
            self.restart_at = None
            self._starts.append(now)
            self.process = self._spawn()


class Command(BaseCommand):
    help = "Start the Django server and a Celery worker with beat; stop both on Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr: str, **options):
        # Ctrl-C and a plain `kill` both stop the children cleanly, even when this
        # process was started with SIGINT ignored (a background job of a script).
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        # The embedded default keeps the cache (and the worker's heartbeat) in a
        # database table; make sure it exists even when serve is run on its own.
        call_command("createcachetable", verbosity=0)
        python = sys.executable
        env = child_env(addr)
        web = subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
            [python, "manage.py", "runserver", addr], start_new_session=True, env=env
        )
        self._say(f"Web server started (pid {web.pid}).")
        worker = None
        url = f"http://{addr}/"
        try:
            worker = WorkerSupervisor(lambda: _start_worker(python, env), self._say)
            self._announce(url, web, worker)
            while web.poll() is None:
                worker.check()
                time.sleep(POLL)
            self.stderr.write("The web server stopped; stopping the worker.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the web server and the worker…")
        finally:
            # A second Ctrl-C must not cut the shutdown short (it is bounded: 15 s).
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            _stop([web] if worker is None else [web, worker.process])
        self.stdout.write("Stopped.")

    def _say(self, line: str) -> None:
        # Flushed at once: serve's output is often a pipe (a log, a test).
        self.stdout.write(line)
        self.stdout.flush()

    def _announce(self, url: str, web: subprocess.Popen, worker: WorkerSupervisor) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and web.poll() is None:
            worker.check()
            try:
                with urllib.request.urlopen(url + "healthz", timeout=2):  # noqa: S310 - our own server
                    break
            except OSError:
                time.sleep(1)
        self._say(banner(url, self.style.SUCCESS))


def banner(url: str, bold: Callable[[str], str] = str) -> str:
    """What serve prints last: the address, the demo accounts if they exist, the emails."""
    head = f"Onefix is running at {url}"
    lines = ["", "=" * 64, bold(head), ""]
    try:
        demo = set(
            User.objects.filter(email__in=[a[0] for a in people.ACCOUNTS]).values_list("email", flat=True)
        )
    except DatabaseError:  # not migrated yet (serve run on its own): nothing to offer
        demo = set()
    if demo:
        lines.append(f"Demo accounts (password {people.DEMO_PASSWORD}):")
        for email, name, role, _admin in people.ACCOUNTS:
            if email in demo:
                lines.append(f"  {email:<24} {role.label}: {name}")
        lines.append("")
    if settings.EMAIL_BACKEND == "config.mail.ConsoleAndFileBackend":
        lines.append(f"Emails are not sent: each is saved as an .eml file in {settings.EMAIL_FILE_PATH}")
    lines += [f"Health: {url}healthz    Stop: Ctrl-C", "=" * 64]
    return "\n".join(lines)


def child_env(addr: str, environ=os.environ) -> dict[str, str]:
    """The children's environment: links in emails follow the address actually served
    (SITE_URL, unless it was set), and the worker logs at WORKER_LOG_LEVEL."""
    env = dict(environ)
    env.setdefault("SITE_URL", f"http://{addr}")
    return env


def _start_worker(python: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
        [
            python,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--loglevel",
            env.get("WORKER_LOG_LEVEL", "WARNING"),
            "--concurrency",
            "2",
            "--hostname",
            "onefix@%h",
        ],
        start_new_session=True,
        env=env,
    )


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _stop(children) -> None:
    # SIGTERM to each child's leader only: the Celery worker then does a warm
    # shutdown of its own pool, runserver stops its reloaded child. Whatever is
    # left of each process group after the leader exits, or after the grace
    # period, is killed.
    for child in children:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        _kill_group(child.pid)
        child.wait()
