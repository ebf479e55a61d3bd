"""Run the web server and a real Celery worker (with beat) together.

Used by `make run`. Ctrl-C stops both: each child runs in its own process
group so that the whole group (runserver's reloader, the worker's pool
processes) is terminated, then killed if it does not stop in time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request

from django.core.management import call_command
from django.core.management.base import BaseCommand


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
        children = [
            subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
                [python, "manage.py", "runserver", addr], start_new_session=True
            ),
            subprocess.Popen(  # noqa: S603
                [
                    python,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--beat",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "2",
                    "--hostname",
                    "onefix@%h",
                ],
                start_new_session=True,
            ),
        ]
        url = f"http://{addr}/"
        try:
            self._announce(url, children)
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            self.stderr.write("A child process stopped; shutting down the other.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the web server and the worker…")
        finally:
            # A second Ctrl-C must not cut the shutdown short (it is bounded: 15 s).
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            _stop(children)
        self.stdout.write("Stopped.")

    def _announce(self, url: str, children) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and all(c.poll() is None for c in children):
            try:
                with urllib.request.urlopen(url + "healthz", timeout=2):  # noqa: S310 - our own server
                    break
            except OSError:
                time.sleep(1)
        banner = f"Onefix is running at {url}   (health: {url}healthz, Ctrl-C stops)"
        self.stdout.write(
            self.style.SUCCESS("\n" + "=" * len(banner) + "\n" + banner + "\n" + "=" * len(banner))
        )


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop(children) -> None:
    # SIGTERM to each child's leader only: the Celery worker then does a warm
    # shutdown of its own pool, runserver stops its reloaded child. Whatever is
    # left after the grace period is killed by process group.
    for child in children:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()
