"""The linking job against the real services (CI): Redis as the broker, a real worker
process, PostgreSQL shared between the test and the worker.

(a) broker down when a thread is posted: the thread and its job row commit, nothing
    is linked; once the broker is back, the sweep sends the job and a worker links it;
(b) a worker SIGKILLed in the middle of a job: its transaction rolls back, the job row
    stays undone, the sweep sends it again and another worker finishes it — links are
    right;
(c) a worker SIGKILLed while a fix's notices are recorded, or while one is emailed:
    everyone is told once, nobody twice (a send cut mid-way is not repeated).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from duplicates import clusters
from duplicates.models import DuplicateLink
from forum import actions
from jobs import outbox
from jobs.models import Notice, PendingJob
from tests import services
from tests.duplicates.linking_helpers import PRINTER, PRINTER_AGAIN, ask

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgresql, pytest.mark.redis, pytest.mark.worker]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _start_worker(
    tmp_path: Path, pause: str = "", coalesce: int | None = None, pause_to: str = "", queues: str = ""
) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),  # the test database, so the worker sees what the test wrote
        "REDIS_URL": services.redis_url(),
        "EMAIL_URL": f"file://{tmp_path / 'mail'}",
        "ONEFIX_TEST_PAUSE_KIND": pause,
        "ONEFIX_TEST_PAUSE_FILE": str(tmp_path / "paused"),
        "ONEFIX_TEST_PAUSE_TO": pause_to,
        "ONEFIX_TEST_QUEUES": queues,
    }
    if coalesce is not None:
        env["NOTIFY_COALESCE_SECONDS"] = str(coalesce)
    return subprocess.Popen(  # noqa: S603
        [sys.executable, str(ROOT / "tests" / "duplicates" / "linking_worker.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stop(worker: subprocess.Popen) -> str:
    if worker.poll() is None:
        worker.terminate()
    try:
        out, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        out, _ = worker.communicate()
    return out or ""


def _wait(condition, what: str, worker: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            raise AssertionError(f"the worker exited before {what}:\n{_stop(worker)}")
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}; worker said:\n{_stop(worker)}")


def _sweep_now() -> int:
    """What beat's sweep does a few minutes later: re-send every undone job."""
    return outbox.sweep(now=timezone.now() + outbox.GRACE + timedelta(seconds=1))


def _mail(tmp_path: Path) -> list[str]:
    folder = tmp_path / "mail"
    if not folder.exists():
        return []
    recipients = []
    for path in sorted(folder.iterdir()):
        # the file backend appends messages separated by a line of dashes
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                recipients.append(message_from_bytes(chunk.strip()).get("To"))
    return sorted(recipients)


@pytest.fixture(autouse=True)
def _empty_queue():
    from config.celery import app

    app.control.purge()  # messages other tests left for jobs that no longer exist
    yield


def test_a_thread_posted_with_the_broker_down_is_linked_after_it_returns(
    alice, dave, category, tmp_path, monkeypatch
):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to the broker. Connection refused.")

    first = ask(alice, category, PRINTER)
    PendingJob.objects.filter(payload__thread_id=first.pk).update(done_at=timezone.now())
    monkeypatch.setattr("jobs.tasks.run_job.apply_async", broker_down)  # publishing fails
    second = ask(dave, category, PRINTER_AGAIN)
    job = PendingJob.objects.get(kind="link", payload__thread_id=second.pk)
    assert job.sent_at is None and job.done_at is None  # committed with the thread, never sent
    assert not DuplicateLink.objects.exists()
    assert _sweep_now() == 0  # still down: the sweep cannot send it either
    monkeypatch.undo()  # the broker is back

    worker = _start_worker(tmp_path)
    try:
        assert _sweep_now() >= 1
        _wait(lambda: PendingJob.objects.get(pk=job.pk).done_at is not None, "the link job ran", worker)
    finally:
        _stop(worker)
    link = DuplicateLink.objects.get()
    assert (link.low_id, link.high_id, link.state) == (first.pk, second.pk, "suggested")


def test_a_mail_backlog_never_delays_linking(alice, dave, category, tmp_path):
    """Queue families (issue 14): a worker of the linking family links while the mail
    queue holds a backlog nobody is working through."""
    from jobs import notices

    backlog = [
        outbox.enqueue(notices.FLUSH_JOB, {"user_id": alice.pk, "key": f"backlog-{i}"}) for i in range(20)
    ]
    first = ask(alice, category, PRINTER)
    PendingJob.objects.filter(payload__thread_id=first.pk).update(done_at=timezone.now())
    worker = _start_worker(tmp_path, queues="linking")
    try:
        second = ask(dave, category, PRINTER_AGAIN)
        job = PendingJob.objects.get(kind="link", payload__thread_id=second.pk)
        _wait(lambda: PendingJob.objects.get(pk=job.pk).done_at is not None, "the link job ran", worker)
    finally:
        _stop(worker)
    assert DuplicateLink.objects.filter(low_id=first.pk, high_id=second.pk).exists()
    # the mail jobs were handed to the broker, on their own queue, and are still there
    assert PendingJob.objects.filter(pk__in=[j.pk for j in backlog], sent_at__isnull=False).count() == 20
    assert PendingJob.objects.filter(pk__in=[j.pk for j in backlog], done_at__isnull=True).count() == 20


def test_a_worker_killed_mid_link_job_loses_nothing(alice, dave, category, tmp_path):
    first = ask(alice, category, PRINTER)
    PendingJob.objects.filter(payload__thread_id=first.pk).update(done_at=timezone.now())
    worker = _start_worker(tmp_path, pause="link")
    try:
        second = ask(dave, category, PRINTER_AGAIN)  # sent after commit to the real broker
        _wait(lambda: (tmp_path / "paused").exists(), "the job reached its pause", worker)
        os.kill(worker.pid, signal.SIGKILL)  # mid-task: rows written, not committed
        worker.wait(timeout=20)
    finally:
        _stop(worker)
    job = PendingJob.objects.get(kind="link", payload__thread_id=second.pk)
    assert job.done_at is None and job.attempts == 1
    assert not DuplicateLink.objects.exists()  # the killed transaction rolled back

    worker = _start_worker(tmp_path)
    try:
        _sweep_now()
        _wait(lambda: PendingJob.objects.get(pk=job.pk).done_at is not None, "the re-sent job ran", worker)
    finally:
        _stop(worker)
    assert list(DuplicateLink.objects.values_list("low_id", "high_id")) == [(first.pk, second.pk)]


def _fix_for_three_voters(alice, dave, bob, category):
    """A confirmed link between alice's and dave's questions, three people voting "me too"
    on dave's; returns (source thread, the people told about a fix on it but alice)."""
    from tests.conftest import make_user

    source = ask(alice, category, PRINTER)
    linked = ask(dave, category, PRINTER_AGAIN)
    people = [make_user(f"p{i}@example.com", f"P{i}") for i in range(3)]
    for person in people:
        actions.me_too(person, linked)
    low, high = sorted([source.pk, linked.pk])
    link, _ = DuplicateLink.objects.get_or_create(
        low_id=low, high_id=high, defaults={"score": 5.0, "method": "scorer-v1"}
    )
    clusters.confirm_link(link.pk, bob)
    PendingJob.objects.update(done_at=timezone.now())  # earlier jobs are not under test
    return source, sorted(["dave@example.com", *(p.email for p in people)])


def _told(tmp_path: Path, told: list[str]) -> list[str]:
    return sorted(r for r in _mail(tmp_path) if r in told)


def test_a_worker_killed_while_recording_a_fix_emails_everyone_once(alice, dave, bob, category, tmp_path):
    source, told = _fix_for_three_voters(alice, dave, bob, category)
    # no coalescing window in the worker: each person's flush runs as soon as it is queued
    worker = _start_worker(tmp_path, pause="fix", coalesce=0)
    try:
        post = actions.add_answer(source, bob, "Reinstall the printer driver after the update.")
        actions.mark_official(post, bob)  # -> Fix row + "fix" job, sent after commit
        _wait(lambda: (tmp_path / "paused").exists(), "the fan-out reached its second person", worker)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)
    finally:
        _stop(worker)
    job = PendingJob.objects.get(kind="fix")
    assert job.done_at is None  # killed mid-fan-out: the sweep sends it again
    key = f"fix:post:{post.pk}"
    assert Notice.objects.filter(event_key=key).count() == 1  # the first person's, committed

    worker = _start_worker(tmp_path, coalesce=0)
    try:
        _sweep_now()
        _wait(lambda: PendingJob.objects.get(pk=job.pk).done_at is not None, "the re-sent fan-out", worker)
        _wait(lambda: not PendingJob.objects.waiting().exists(), "every flush", worker)
        _wait(lambda: len(_told(tmp_path, told)) >= len(told), "four emails", worker)
    finally:
        _stop(worker)
    # dave (asker) and the three voters of the linked thread: each exactly once
    assert _told(tmp_path, told) == told
    assert Notice.objects.filter(event_key=key).count() == 4
    assert not Notice.objects.filter(event_key=key, sent_at__isnull=True).exists()


def test_a_worker_killed_while_sending_a_fix_email_sends_it_at_most_once(
    alice, dave, bob, category, tmp_path
):
    source, told = _fix_for_three_voters(alice, dave, bob, category)
    cut = "p1@example.com"  # the worker is killed inside the send of this person's email
    worker = _start_worker(tmp_path, pause="flush", coalesce=0, pause_to=cut)
    try:
        post = actions.add_answer(source, bob, "Reinstall the printer driver after the update.")
        actions.mark_official(post, bob)
        _wait(lambda: (tmp_path / "paused").exists(), "the send to p1", worker)
        os.kill(worker.pid, signal.SIGKILL)  # the SMTP call may or may not have happened
        worker.wait(timeout=20)
    finally:
        _stop(worker)
    key = f"fix:post:{post.pk}"
    assert cut not in _mail(tmp_path)
    in_flight = Notice.objects.get(event_key=key, user__email=cut)
    assert in_flight.sent_at is not None and in_flight.batch  # claimed when the worker died

    worker = _start_worker(tmp_path, coalesce=0)
    try:
        _sweep_now()
        _wait(lambda: Notice.objects.filter(event_key=key).count() == 4, "every notice", worker)
        _wait(lambda: not PendingJob.objects.waiting().exists(), "every flush", worker)
        _wait(lambda: len(_told(tmp_path, told)) >= 3, "the other emails", worker)
    finally:
        _stop(worker)
    # everyone else exactly once; the cut send is not repeated (it may have gone out)
    assert _told(tmp_path, told) == [email for email in told if email != cut]
    assert not Notice.objects.filter(event_key=key, sent_at__isnull=True).exists()
