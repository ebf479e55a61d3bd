"""manage.py link_duplicates: --all backfills with a progress bar and resumes after an
interruption; --thread links one."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from duplicates import backfill, linking
from duplicates.models import DuplicateLink, LinkCheckpoint
from jobs.models import PendingJob
from tests.duplicates.linking_helpers import PRINTER, PRINTER_AGAIN, UNRELATED, ask


@pytest.fixture(autouse=True)
def _fresh_idf():
    linking.reset_background_stats()
    yield
    linking.reset_background_stats()


@pytest.fixture
def threads(alice, dave, category):
    """Threads posted before linking existed: their jobs never ran."""
    made = [
        ask(alice, category, PRINTER),
        ask(alice, category, UNRELATED, tags=["billing"]),
        ask(dave, category, PRINTER_AGAIN),
        ask(
            dave,
            category,
            ("Printer offline again after firmware", "The firmware update left the printer offline."),
        ),
    ]
    PendingJob.objects.all().delete()
    return made


def test_all_links_every_thread_with_a_progress_line(threads):
    out = StringIO()
    call_command("link_duplicates", "--all", stdout=out)
    text = out.getvalue()
    assert "4/4 threads" in text and "Linked 4 threads" in text
    pairs = set(DuplicateLink.objects.values_list("low_id", "high_id"))
    printer = {threads[0].pk, threads[2].pk, threads[3].pk}
    assert pairs and all({low, high} <= printer for low, high in pairs)
    assert backfill.checkpoint() == threads[-1].pk
    call_command("link_duplicates", "--all", stdout=StringIO())  # nothing left: a no-op
    assert set(DuplicateLink.objects.values_list("low_id", "high_id")) == pairs


def test_an_interrupted_backfill_goes_on_where_it_stopped(threads, monkeypatch):
    seen = []
    real = backfill.link_thread

    def interrupted(thread_id):
        if len(seen) == 2:
            raise KeyboardInterrupt
        seen.append(thread_id)
        return real(thread_id)

    monkeypatch.setattr(backfill, "link_thread", interrupted)
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("link_duplicates", "--all", stdout=out)
    assert "Interrupted after thread" in out.getvalue()
    assert LinkCheckpoint.objects.get().last_thread_id == threads[1].pk

    def counting(thread_id):
        seen.append(thread_id)
        return real(thread_id)

    monkeypatch.setattr(backfill, "link_thread", counting)
    out = StringIO()
    call_command("link_duplicates", "--all", stdout=out)
    assert f"Going on after thread {threads[1].pk}" in out.getvalue()
    assert seen == [t.pk for t in threads]  # each thread once, in order
    call_command("link_duplicates", "--all", "--restart", stdout=StringIO())
    assert seen[4:] == [t.pk for t in threads]


def test_thread_links_one_thread_and_an_unknown_id_is_a_clear_error(threads):
    out = StringIO()
    call_command("link_duplicates", "--thread", str(threads[2].pk), stdout=out)
    assert f"Thread {threads[2].pk}:" in out.getvalue() and "1 links created" in out.getvalue()
    assert DuplicateLink.objects.count() == 1
    with pytest.raises(CommandError, match="No thread with id 999999"):
        call_command("link_duplicates", "--thread", "999999")
