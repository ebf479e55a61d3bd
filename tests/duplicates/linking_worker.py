"""Start a real Celery worker that can stop inside an outbox job, for the kill tests.

    python tests/duplicates/linking_worker.py          # env: ONEFIX_TEST_PAUSE_KIND, ONEFIX_TEST_PAUSE_FILE

With ONEFIX_TEST_PAUSE_KIND=link the worker pauses after the link job wrote its rows
but before its transaction commits; with =fix, while the fix's fan-out records the
second person's notice (the first one's is recorded); with =flush, inside the send of
the email to ONEFIX_TEST_PAUSE_TO (the emails before it are sent). At the pause it writes its pid to
ONEFIX_TEST_PAUSE_FILE and sleeps, so the test can SIGKILL it at that exact point.
Without the variables it is a plain worker.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from config.celery import app  # noqa: E402
from duplicates import fixes, linking  # noqa: E402

KIND = os.environ.get("ONEFIX_TEST_PAUSE_KIND", "")
MARKER = os.environ.get("ONEFIX_TEST_PAUSE_FILE", "")


def _pause() -> None:
    Path(MARKER).write_text(str(os.getpid()))
    time.sleep(300)


if KIND == "link":
    _write_links = linking._write_links

    def _write_then_pause(*args, **kwargs):
        _write_links(*args, **kwargs)
        _pause()

    linking._write_links = _write_then_pause
elif KIND == "fix":
    _build_email = fixes.build_email
    _calls = []

    def _build_or_pause(*args, **kwargs):
        _calls.append(1)
        if len(_calls) == 2:
            _pause()
        return _build_email(*args, **kwargs)

    fixes.build_email = _build_or_pause
elif KIND == "flush":
    from django.core.mail import EmailMessage

    _send = EmailMessage.send
    TO = os.environ.get("ONEFIX_TEST_PAUSE_TO", "")

    def _send_or_pause(self, *args, **kwargs):
        if TO in self.to:
            _pause()
        return _send(self, *args, **kwargs)

    EmailMessage.send = _send_or_pause

if __name__ == "__main__":
    app.worker_main(
        [
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"linking-test-{os.getpid()}@%h",
            # ONEFIX_TEST_QUEUES: consume only these queues, as a production worker of one family
            *(["--queues", os.environ["ONEFIX_TEST_QUEUES"]] if os.environ.get("ONEFIX_TEST_QUEUES") else []),
        ]
    )
