"""One fix helps many: a fix on one thread shows on every linked thread and emails its
people once per fix — never the actor, never twice on retries, never those the forum's
own email already tells."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core import mail

from duplicates import clusters, fixes, linking
from duplicates.models import DuplicateLink, Fix
from forum import actions
from jobs import outbox
from jobs.models import Notice, PendingJob
from tests.conftest import make_user
from tests.jobs_helpers import run_pending

SUBJECT = "Fixed on a linked question"


def _thread(author, category, i: int):
    return actions.create_thread(author, f"Sync question number {i}", f"Body of question {i}.", category)


def _confirm(a, b, by):
    low, high = sorted([a.pk, b.pk])
    link, _ = DuplicateLink.objects.get_or_create(
        low_id=low, high_id=high, defaults={"score": 5.0, "method": "scorer-v1"}
    )
    clusters.confirm_link(link.pk, by)
    return link


def _fix_mail() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if m.subject.startswith(SUBJECT))


@pytest.fixture(autouse=True)
def _fresh_idf():
    linking.reset_background_stats()  # IDF from this test's threads, not an earlier test's
    yield
    linking.reset_background_stats()


@pytest.fixture
def cast(db):
    return {name: make_user(f"{name}@example.com", name.title()) for name in ("erin", "frank", "gina", "hal")}


@pytest.fixture
def cluster3(alice, dave, bob, category, cast):
    """source (asked by alice) + two linked threads: one by dave, one by erin."""
    source = _thread(alice, category, 1)
    second = _thread(dave, category, 2)
    third = _thread(cast["erin"], category, 3)
    _confirm(source, second, bob)
    _confirm(second, third, bob)
    run_pending()
    mail.outbox.clear()
    return source, second, third


def test_an_official_answer_shows_on_every_other_thread_of_the_cluster(cluster3, bob, client):
    source, second, third = cluster3
    post = actions.add_answer(source, bob, "Reinstall the sync helper.")
    actions.mark_official(post, bob)
    for thread in (second, third):
        html = client.get(thread.get_absolute_url()).content.decode()
        assert "Fixed on a linked question" in html
        assert f'href="{source.get_absolute_url()}#post-{post.pk}"' in html
    assert "Fixed on a linked question" not in client.get(source.get_absolute_url()).content.decode()


def test_one_email_per_person_per_fix_not_the_actor_not_the_source_followers(
    cluster3, alice, bob, dave, cast
):
    source, second, third = cluster3
    actions.me_too(cast["frank"], second)  # a voter on one thread
    actions.me_too(cast["frank"], third)  # ... and on another: one email
    actions.me_too(dave, third)  # dave asked `second` and voted on `third`: one email
    actions.follow(cast["gina"], third)  # a plain follower
    actions.follow(bob, second)  # the actor follows a linked thread: no email
    actions.follow(cast["hal"], source)  # follows the source and a linked thread:
    actions.follow(cast["hal"], third)  # the forum's own email tells hal
    run_pending()
    mail.outbox.clear()
    post = actions.add_answer(source, bob, "Reinstall the sync helper.")
    actions.mark_official(post, bob)
    run_pending()
    assert _fix_mail() == ["dave@example.com", "erin@example.com", "frank@example.com", "gina@example.com"]
    forum_mail = sorted(m.to[0] for m in mail.outbox if not m.subject.startswith(SUBJECT))
    assert "hal@example.com" in forum_mail and "alice@example.com" in forum_mail
    message = next(m for m in mail.outbox if m.to == ["erin@example.com"])
    assert third.title in message.body and f"#post-{post.pk}" in message.body
    assert message.alternatives and "Read the fix" in message.alternatives[0][0]
    assert "/questions/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_a_retried_or_repeated_fan_out_sends_nothing_twice(cluster3, bob):
    source = cluster3[0]
    post = actions.add_answer(source, bob, "Reinstall the sync helper.")
    actions.mark_official(post, bob)
    fix = Fix.objects.get()
    job = PendingJob.objects.get(kind="fix")
    assert job.dedupe_key == f"fix:{fix.pk}"
    assert outbox.run(job.pk) is True
    run_pending("notice_flush")
    sent = _fix_mail()
    assert sent == ["dave@example.com", "erin@example.com"]
    assert fixes.handle_fix({"fix_id": fix.pk}) == 0  # the broker delivered it twice
    PendingJob.objects.filter(pk=job.pk).update(done_at=None)  # or the worker died before marking done
    outbox.run(job.pk)
    run_pending()
    assert _fix_mail() == sent
    assert Notice.objects.filter(event_key=f"fix:post:{post.pk}").count() == 2


def test_announcing_the_same_fix_again_records_one_fix(cluster3, bob):
    source = cluster3[0]
    post = actions.add_answer(source, bob, "Reinstall the sync helper.")
    actions.mark_official(post, bob)
    actions.unmark_official(post, bob)
    actions.mark_official(post, bob)
    run_pending()
    assert Fix.objects.count() == 1
    assert _fix_mail() == ["dave@example.com", "erin@example.com"]


def test_an_accepted_solution_does_not_email_the_answer_author_twice(cluster3, alice, dave, cast):
    source, second, _ = cluster3
    actions.me_too(cast["gina"], second)
    post = actions.add_answer(source, cast["gina"], "Turning it off and on fixed it.")
    actions.accept_solution(source, post, alice)
    run_pending()
    # gina wrote the answer: the forum's "your answer was accepted" email tells her
    assert _fix_mail() == ["dave@example.com", "erin@example.com"]


def test_a_thread_that_joins_a_cluster_with_a_fix_shows_it_and_its_people_are_told(
    cluster3, bob, category, cast, client
):
    source, second, _ = cluster3
    post = actions.add_answer(source, bob, "Reinstall the sync helper.")
    actions.mark_official(post, bob)
    run_pending()
    mail.outbox.clear()
    late = _thread(cast["hal"], category, 4)
    actions.me_too(cast["gina"], late)
    assert "Fixed on a linked question" not in client.get(late.get_absolute_url()).content.decode()
    _confirm(late, second, bob)
    run_pending()
    assert "Fixed on a linked question" in client.get(late.get_absolute_url()).content.decode()
    assert _fix_mail() == ["gina@example.com", "hal@example.com"]  # only the newcomers


def test_a_fix_on_a_thread_in_no_cluster_waits_for_a_confirmation(alice, dave, bob, category):
    lone = _thread(alice, category, 1)
    other = _thread(dave, category, 2)
    post = actions.add_answer(lone, bob, "Reinstall the sync helper.")
    actions.mark_official(post, bob)
    run_pending()
    assert _fix_mail() == []
    _confirm(lone, other, bob)
    run_pending()
    assert _fix_mail() == ["dave@example.com"]


@dataclass
class FakeArticle:
    """What the KB sends: fixes.py only reads pk, title and get_absolute_url()."""

    pk: int
    title: str

    def get_absolute_url(self) -> str:
        return f"/kb/article-{self.pk}/"


def test_a_kb_article_published_from_a_thread_reaches_the_cluster_once(cluster3, bob, client):
    source, second, third = cluster3
    article = FakeArticle(pk=7, title="Fix sync after the 4.2 update")
    # the KB records the fix once per source thread, inside its publishing transaction
    fixes.record_fix(source, None, bob, "article", article=article)
    fixes.record_fix(second, None, bob, "article", article=article)
    run_pending()
    # dave follows `second`, a source thread: the KB's own email tells him
    assert _fix_mail() == ["erin@example.com"]
    html = client.get(third.get_absolute_url()).content.decode()
    assert html.count('href="/kb/article-7/"') == 1 and "knowledge-base article" in html
