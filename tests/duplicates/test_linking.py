"""The linking job: queued with the thread, idempotent, never resurrects a rejected pair,
never changes a confirmed one, and the database keeps one row per unordered pair."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from duplicates import clusters, linking
from duplicates.models import DuplicateLink
from duplicates.scoring.scorer import score_candidates
from forum import actions
from jobs import outbox
from jobs.models import PendingJob
from tests.duplicates.linking_helpers import PRINTER, PRINTER_AGAIN, UNRELATED, ask
from tests.jobs_helpers import run_pending


@pytest.fixture(autouse=True)
def _fresh_idf():
    linking.reset_background_stats()
    yield
    linking.reset_background_stats()


def _links():
    return sorted(
        DuplicateLink.objects.values_list("low_id", "high_id", "score", "method", "state", "decided_by_id")
    )


def test_posting_a_thread_records_a_link_job_sent_only_after_commit(
    alice, category, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("jobs.tasks.run_job.apply_async", lambda args, **options: sent.append(args[0]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        thread = ask(alice, category, PRINTER)
    job = PendingJob.objects.get(kind="link")
    assert job.payload["thread_id"] == thread.pk
    assert job.payload["text_hash"] == linking.text_hash(PRINTER[0], PRINTER[1], ["printing"], category.slug)
    assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [job.pk]


def test_a_failed_post_leaves_no_link_job(alice, category):
    with pytest.raises(RuntimeError), transaction.atomic():
        ask(alice, category, PRINTER)
        raise RuntimeError("the request failed after the insert")
    assert not PendingJob.objects.filter(kind="link").exists()


def test_the_job_links_a_similar_earlier_thread_and_not_an_unrelated_one(alice, dave, category):
    first = ask(alice, category, PRINTER)
    other = ask(alice, category, UNRELATED, tags=["billing"])
    second = ask(dave, category, PRINTER_AGAIN)
    assert run_pending("link") == 3
    link = DuplicateLink.objects.get()
    assert (link.low_id, link.high_id) == (first.pk, second.pk)
    assert link.state == "suggested" and link.method == "scorer-v1"
    assert link.score >= linking.threshold()
    assert not DuplicateLink.objects.involving(other.pk).exists()


def test_the_job_scores_with_the_same_scorer_as_the_evaluation(alice, dave, category, monkeypatch):
    calls = []

    def spy(*args, **kwargs):
        calls.append(args)
        return score_candidates(*args, **kwargs)

    monkeypatch.setattr(linking, "score_candidates", spy)
    ask(alice, category, PRINTER)
    ask(dave, category, PRINTER_AGAIN)
    run_pending("link")
    query, candidates, _stats, ranks = calls[-1]
    assert query.title == PRINTER_AGAIN[0]
    assert [c.title for c in candidates] == [PRINTER[0]] and ranks == [1]


def test_running_the_job_twice_leaves_identical_rows(alice, dave, category):
    ask(alice, category, PRINTER)
    second = ask(dave, category, PRINTER_AGAIN)
    run_pending("link")
    before = _links()
    outcome = linking.link_thread(second.pk)
    assert _links() == before
    assert (outcome.created, outcome.updated, outcome.withdrawn) == (0, 0, 0)
    assert DuplicateLink.objects.count() == 1


def test_a_rejected_pair_is_never_suggested_again(alice, dave, bob, category):
    ask(alice, category, PRINTER)
    second = ask(dave, category, PRINTER_AGAIN)
    run_pending("link")
    link = DuplicateLink.objects.get()
    clusters.reject_link(link.pk, bob)
    actions.edit_thread(second, dave, PRINTER_AGAIN[0] + " again", PRINTER_AGAIN[1])
    run_pending("link")
    linking.link_thread(second.pk)
    link.refresh_from_db()
    assert link.state == "rejected" and link.decided_by == bob
    assert DuplicateLink.objects.count() == 1


def test_a_rerun_never_changes_a_confirmed_link(alice, dave, bob, category):
    ask(alice, category, PRINTER)
    second = ask(dave, category, PRINTER_AGAIN)
    run_pending("link")
    link = DuplicateLink.objects.get()
    clusters.confirm_link(link.pk, bob)
    before = _links()
    # the text moves away from the first thread: a suggestion would be withdrawn, a confirmation stays
    actions.edit_thread(second, dave, "Completely different: billing address change", UNRELATED[1])
    run_pending("link")
    assert _links() == before


def test_an_edit_that_changes_the_topic_withdraws_the_suggestion(alice, dave, category):
    ask(alice, category, PRINTER)
    second = ask(dave, category, PRINTER_AGAIN)
    run_pending("link")
    assert DuplicateLink.objects.count() == 1
    actions.edit_thread(second, dave, "How do I change my billing address", UNRELATED[1])
    run_pending("link")
    assert not DuplicateLink.objects.exists()


def test_an_edit_storm_queues_one_job_but_an_edit_after_the_job_started_queues_another(
    alice, category, monkeypatch
):
    monkeypatch.setattr("jobs.tasks.run_job.apply_async", lambda args, **options: None)
    thread = ask(alice, category, PRINTER)
    for i in range(5):
        actions.edit_thread(thread, alice, f"{PRINTER[0]} take {i}", PRINTER[1])
    assert PendingJob.objects.filter(kind="link").count() == 1
    PendingJob.objects.filter(kind="link").update(attempts=1)  # a worker picked it up
    actions.edit_thread(thread, alice, PRINTER[0], PRINTER[1] + " Still broken.")
    assert PendingJob.objects.filter(kind="link", done_at__isnull=True).count() == 2


def test_an_edit_of_nothing_the_scorer_reads_queues_nothing(alice, category, other_category):
    thread = ask(alice, category, PRINTER)
    run_pending("link")
    actions.edit_thread(thread, alice, PRINTER[0], PRINTER[1], tags=["printing"])
    assert not PendingJob.objects.filter(kind="link", done_at__isnull=True).exists()
    actions.edit_thread(thread, alice, PRINTER[0], PRINTER[1], category=other_category)
    assert PendingJob.objects.filter(kind="link", done_at__isnull=True).count() == 1


def test_a_later_thread_is_not_linked_by_the_earlier_threads_job(alice, dave, category):
    first = ask(alice, category, PRINTER)
    ask(dave, category, PRINTER_AGAIN)
    assert linking.link_thread(first.pk).candidates == 0
    assert not DuplicateLink.objects.exists()


def test_the_job_returns_quietly_for_a_deleted_or_gone_thread(alice, carol, category):
    thread = ask(alice, category, PRINTER)
    actions.delete_thread(thread, carol)
    assert run_pending("link") == 1
    assert linking.link_thread(10_000_000).candidates == 0


def test_a_deleted_thread_is_not_a_candidate(alice, dave, carol, category):
    first = ask(alice, category, PRINTER)
    actions.delete_thread(first, carol)
    ask(dave, category, PRINTER_AGAIN)
    run_pending("link")
    assert not DuplicateLink.objects.exists()


def test_a_worker_dying_mid_job_rolls_back_and_the_rerun_links(alice, dave, category, monkeypatch):
    ask(alice, category, PRINTER)
    ask(dave, category, PRINTER_AGAIN)

    def die(*args, **kwargs):
        raise SystemExit("worker killed")  # like SIGKILL: the handler never returns

    monkeypatch.setattr(DuplicateLink.objects, "bulk_create", die)
    job_ids = list(PendingJob.objects.filter(kind="link").order_by("pk").values_list("pk", flat=True))
    outbox.run(job_ids[0])  # the first thread has nothing earlier: no write
    with pytest.raises(SystemExit):
        outbox.run(job_ids[1])
    assert not DuplicateLink.objects.exists()
    assert PendingJob.objects.get(pk=job_ids[1]).done_at is None  # the sweep will send it again
    monkeypatch.undo()
    assert outbox.run(job_ids[1]) is True
    assert DuplicateLink.objects.count() == 1


def test_the_database_keeps_one_row_per_unordered_pair(alice, dave, category):
    a = ask(alice, category, PRINTER)
    b = ask(dave, category, PRINTER_AGAIN)
    DuplicateLink.objects.create(low=a, high=b, score=3.0, method="manual")
    with pytest.raises(IntegrityError), transaction.atomic():
        DuplicateLink.objects.create(low=a, high=b, score=2.0, method="scorer-v1")
    with pytest.raises(IntegrityError), transaction.atomic():
        DuplicateLink.objects.create(low=b, high=a, score=2.0, method="scorer-v1")  # reversed pair
    with pytest.raises(IntegrityError), transaction.atomic():
        DuplicateLink.objects.create(low=a, high=a, score=2.0, method="scorer-v1")  # a thread with itself
    assert DuplicateLink.objects.count() == 1


def test_a_top_search_hit_that_shares_few_words_is_not_suggested(alice, dave, category, settings):
    # The only earlier thread is the new one's first search hit (they share "printer"
    # and the tag), so the rank feature alone lifts its score over the threshold; the
    # text gate is what keeps it out of "Similar threads".
    ask(
        alice,
        category,
        ("Printer ink cartridges cost too much in Europe", "Prices for ink doubled this year."),
    )
    newer = ask(
        dave,
        category,
        ("Printer shows offline after the firmware update", "My LaserJet is offline since firmware 3.1."),
    )
    outcome = linking.link_thread(newer.pk)
    assert outcome.candidates == 1 and outcome.above_threshold == 0
    assert not DuplicateLink.objects.exists()
    settings.DUPLICATE_MIN_TEXT_MATCH = 0.0  # without the gate, rank alone makes the link
    assert linking.link_thread(newer.pk).above_threshold == 1


def test_suggests_needs_both_the_score_and_the_text_match(settings):
    from duplicates.scoring.scorer import Scored, ThreadText

    candidate = ThreadText(id=1, title="t", body="b")

    def scored(score, bm25):
        return Scored(candidate, score, True, {"bm25": bm25})

    cut, gate = settings.DUPLICATE_LINK_THRESHOLD, settings.DUPLICATE_MIN_TEXT_MATCH
    assert linking.suggests(scored(cut, gate))
    assert not linking.suggests(scored(cut - 0.01, 0.9))
    assert not linking.suggests(scored(20.0, gate - 0.01))
