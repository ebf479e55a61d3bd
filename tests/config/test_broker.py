"""The embedded broker (config/broker.py) hands each message over whole, exactly once.

kombu's filesystem transport creates a message file under its final name and then
writes it; a reader in between reads a partial file and the worker dies with
"Unrecoverable error: JSONDecodeError" (kombu issue #1551).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from queue import Empty

import pytest
from kombu import Connection
from kombu.transport import filesystem

from config import broker
from tests.config.broker_tasks import TOUCH
from tests.config.workers import ROOT, embedded_env, start_worker, stop_worker


def _connection(tmp_path, transport: str) -> Connection:
    (tmp_path / "queue").mkdir(exist_ok=True)
    return Connection(
        "filesystem://",
        transport=transport,
        transport_options={
            "data_folder_in": str(tmp_path / "queue"),
            "data_folder_out": str(tmp_path / "queue"),
            "control_folder": str(tmp_path / "control"),
        },
    )


def test_stock_kombu_hands_a_reader_a_message_still_being_written(tmp_path, monkeypatch):
    """The upstream race, made deterministic: a reader looks while the writer holds its lock."""
    conn = _connection(tmp_path, "kombu.transport.filesystem:Transport")
    channel = conn.default_channel
    seen = []

    def read_mid_write(f, flags):
        try:
            seen.append(channel._get("jobs"))
        except ValueError as exc:  # json.JSONDecodeError
            seen.append(exc)

    monkeypatch.setattr(filesystem, "lock", read_mid_write)
    monkeypatch.setattr(filesystem, "unlock", lambda f: None)
    channel._put("jobs", {"body": "hello"})
    assert len(seen) == 1
    assert isinstance(seen[0], ValueError)
    conn.release()


def test_a_message_being_written_is_invisible_to_readers(tmp_path, monkeypatch):
    conn = _connection(tmp_path, "config.broker:Transport")
    channel = conn.default_channel
    looked = []
    real_replace = os.replace

    def read_then_replace(src, dst):
        # The writer has written the whole message and not yet renamed it.
        with pytest.raises(Empty):
            channel._get("jobs")
        looked.append(channel._size("jobs"))
        real_replace(src, dst)

    monkeypatch.setattr(broker.os, "replace", read_then_replace)
    channel._put("jobs", {"body": "hello"})
    monkeypatch.undo()
    assert looked == [0]
    assert channel._get("jobs") == {"body": "hello"}
    conn.release()


def test_a_message_that_is_not_json_is_set_aside_and_the_next_is_delivered(tmp_path, caplog):
    conn = _connection(tmp_path, "config.broker:Transport")
    channel = conn.default_channel
    # "0_…" sorts before any real message name (milliseconds of uptime), so it is read first.
    (tmp_path / "queue" / "0_broken.jobs.msg").write_bytes(b'{"body": "hal')
    channel._put("jobs", {"body": "whole"})
    with caplog.at_level(logging.ERROR, logger="config.broker"):
        assert channel._get("jobs") == {"body": "whole"}
    assert [p.name for p in (tmp_path / "queue" / "failed").iterdir()] == ["0_broken.jobs.msg"]
    assert "not valid JSON" in caplog.text
    with pytest.raises(Empty):
        channel._get("jobs")
    conn.release()


def test_messages_keep_their_order_and_other_queues_are_left_alone(tmp_path):
    conn = _connection(tmp_path, "config.broker:Transport")
    channel = conn.default_channel
    for n in range(3):
        channel._put("jobs", {"n": n})
        time.sleep(0.002)  # names are ordered by the millisecond they were written
    channel._put("other", {"n": "other"})
    assert [channel._get("jobs")["n"] for _ in range(3)] == [0, 1, 2]
    assert channel._size("other") == 1
    conn.release()


def test_the_embedded_default_uses_the_atomic_transport():
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        from config.celery import app

        with app.connection_for_write() as conn:
            assert isinstance(conn.transport, broker.Transport)
    else:
        assert not hasattr(settings, "CELERY_BROKER_TRANSPORT")


WRITERS = 4
MESSAGES = 1000  # per writer
# Each sender pauses 20 ms between messages, so that together they send a little
# slower than one solo worker consumes (~160/s here) and the worker keeps reading
# the newest files, as an idle worker does while the site posts. A flood builds a
# backlog instead, the reader never reaches a file still being written, and kombu's
# stock transport passes; paced like this it died in each of 2 runs out of 2.
PAUSE = 0.02
SENDER = """
import sys, time
from config.celery import app

folder, writer, count, pause = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
for n in range(count):
    app.send_task({task!r}, args=[folder, f"{{writer}}-{{n}}"])
    time.sleep(pause)
"""


@pytest.mark.worker
def test_thousands_of_messages_from_several_processes_arrive_once_each(tmp_path):
    """4 processes send 1,000 tasks each through the real filesystem broker while a real
    worker consumes them: every task runs exactly once and the worker never falls over."""
    env = embedded_env(tmp_path)
    done = tmp_path / "done"
    done.mkdir()
    log_path = tmp_path / "worker.log"
    expected = WRITERS * MESSAGES
    with log_path.open("w") as log:
        worker = start_worker(env, "--include", "tests.config.broker_tasks", log=log)
        try:
            senders = [
                subprocess.Popen(  # noqa: S603
                    [
                        sys.executable,
                        "-c",
                        SENDER.format(task=TOUCH),
                        *(str(done), str(w), str(MESSAGES), str(PAUSE)),
                    ],
                    cwd=ROOT,
                    env=env,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for w in range(WRITERS)
            ]
            for sender in senders:
                _, err = sender.communicate(timeout=90)
                assert sender.returncode == 0, err
            deadline = time.monotonic() + 90
            count = 0
            while time.monotonic() < deadline and worker.poll() is None:
                count = sum(1 for _ in done.iterdir())
                if count >= expected:
                    break
                time.sleep(0.2)
            alive = worker.poll() is None
        finally:
            stop_worker(worker)
    output = log_path.read_text()
    assert alive, f"the worker died; it said:\n{output}"
    assert "JSONDecodeError" not in output
    assert "Unrecoverable error" not in output
    assert count == expected, f"{expected - count} of {expected} messages lost; worker said:\n{output}"
    assert not (done / "duplicates.txt").exists(), "some messages were delivered twice"
    queue = tmp_path / "broker" / "queue"
    assert not list(queue.glob("*.celery.msg")), "messages left in the queue"
    assert not list((queue / "failed").glob("*")), "messages set aside as undecodable"
