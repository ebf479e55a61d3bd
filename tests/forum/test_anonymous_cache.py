"""The anonymous cache (config/anoncache.py; issue 14, item 3): served to visitors only,
never crossing visitors (CSRF token, cookie, nonce, signed-in state, messages), ended by
any write (a write on one thread: that thread's pages and the lists, not the other
threads'), and view counts that still count."""

from __future__ import annotations

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from config import anoncache
from forum import views_counter
from forum.models import Thread
from tests import services

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'<script[^>]* nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.ANON_CACHE_SECONDS = 60


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_a_second_visitor_gets_the_page_from_the_cache_without_the_database(
    thread, django_assert_num_queries
):
    url = thread.get_absolute_url()
    first = _get(Client(), url)
    assert first["X-Anon-Cache"] == "miss"
    with django_assert_num_queries(1):  # the view count (one UPDATE without Redis), nothing else
        second = _get(Client(), url)
    assert second["X-Anon-Cache"] == "hit"
    assert thread.title.encode() in second.content
    assert _get(Client(), "/")["X-Anon-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert _get(Client(), "/")["X-Anon-Cache"] == "hit"


def test_no_visitor_ever_receives_another_visitors_csrf_token_or_cookie(thread):
    url = thread.get_absolute_url()
    pages = {}
    for name in ("first", "second", "third"):
        client = Client(enforce_csrf_checks=True)
        response = _get(client, url)
        tokens = set(TOKEN.findall(response.content.decode()))
        assert len(tokens) == 1, "one token per page, the visitor's own"
        token = tokens.pop()
        secret = client.cookies["csrftoken"].value
        assert _unmask_cipher_token(token) == secret  # matches this visitor's own cookie
        assert anoncache.CSRF_PLACEHOLDER not in response.content.decode()
        pages[name] = (client, token, secret, response["X-Anon-Cache"])
    assert [p[3] for p in pages.values()] == ["miss", "hit", "hit"]
    assert len({p[2] for p in pages.values()}) == 3  # three visitors, three secrets

    # Each posts an answer through the form of the cached page: kept for after sign-in, no 403.
    for name, (client, token, _secret, _) in pages.items():
        response = client.post(
            f"/questions/{thread.pk}/answer/",
            {"body": f"Answer typed by the {name} visitor.", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    # and another visitor's token is refused
    stranger = Client(enforce_csrf_checks=True)
    _get(stranger, url)
    refused = stranger.post(
        f"/questions/{thread.pk}/answer/", {"body": "x" * 20, "csrfmiddlewaretoken": pages["first"][1]}
    )
    assert refused.status_code == 403


def test_each_response_has_its_own_nonce_matching_its_header(thread):
    url = thread.get_absolute_url()
    seen = []
    for _ in range(3):
        response = _get(Client(), url)
        nonces = set(NONCE.findall(response.content.decode()))
        assert len(nonces) == 1
        nonce = nonces.pop()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        seen.append(nonce)
    assert len(set(seen)) == 3
    assert anoncache.NONCE_PLACEHOLDER not in response.content.decode()


def test_signed_in_people_are_never_served_or_stored(thread, alice_client):
    url = thread.get_absolute_url()
    mine = _get(alice_client, url)
    assert "X-Anon-Cache" not in mine
    assert b"Sign out" in mine.content
    visitor = _get(Client(), url)
    assert visitor["X-Anon-Cache"] == "miss"  # nothing of alice's page was kept
    assert b"Sign out" not in visitor.content
    assert "X-Anon-Cache" not in _get(alice_client, url)  # and alice never gets the visitor's


def test_a_visitor_with_a_session_or_messages_goes_to_the_view(thread):
    url = thread.get_absolute_url()
    _get(Client(), url)
    with_session = Client()
    with_session.cookies["sessionid"] = "anything"
    assert "X-Anon-Cache" not in _get(with_session, url)
    with_messages = Client()
    with_messages.cookies["messages"] = "anything"
    assert "X-Anon-Cache" not in _get(with_messages, url)
    htmx = Client().get(url, HTTP_HX_REQUEST="true")
    assert "X-Anon-Cache" not in htmx


def test_a_missing_page_and_pages_off_the_list_are_not_cached(thread):
    assert Client().get("/questions/999999/gone/").status_code == 404
    assert "X-Anon-Cache" not in Client().get("/questions/999999/gone/")
    assert "X-Anon-Cache" not in _get(Client(), "/search/?q=sync")


def _answer_visible(thread, text: str) -> bool:
    return text.encode() in _get(Client(), thread.get_absolute_url()).content


@pytest.mark.parametrize("change", ["answer", "edit", "helpful", "delete"])
def test_any_write_ends_the_cached_page(change, thread, answer, dave_client, carol_client, alice_client):
    url = thread.get_absolute_url()
    _get(Client(), url)
    assert _get(Client(), url)["X-Anon-Cache"] == "hit"
    if change == "answer":
        dave_client.post(f"/questions/{thread.pk}/answer/", {"body": "Reinstalling fixed it here."})
        assert _answer_visible(thread, "Reinstalling fixed it here.")
    elif change == "edit":
        dave_client.post(
            f"/questions/answers/{answer.pk}/edit/", {"body": "Sign out, wait a minute, sign in."}
        )
        assert _answer_visible(thread, "Sign out, wait a minute, sign in.")
    elif change == "helpful":
        before = _get(Client(), url).content
        alice_client.post(f"/questions/answers/{answer.pk}/helpful/")
        after = _get(Client(), url)
        assert after["X-Anon-Cache"] == "miss" and after.content != before
    else:
        carol_client.post(f"/questions/answers/{answer.pk}/delete/", {"reason": "Spam"})
        assert not _answer_visible(thread, "Sign out and in again")


def test_an_outbox_job_that_ran_ends_the_cached_pages(thread, eager_celery):
    from jobs import outbox
    from jobs.models import PendingJob
    from jobs.tasks import run_job

    url = thread.get_absolute_url()
    _get(Client(), url)
    assert _get(Client(), url)["X-Anon-Cache"] == "hit"
    outbox.register("anon_cache_test", lambda payload: None)
    try:
        job = PendingJob.objects.create(kind="anon_cache_test", payload={})
        run_job.apply(args=(job.pk,))
    finally:
        outbox.unregister("anon_cache_test")
    assert _get(Client(), url)["X-Anon-Cache"] == "miss"


@pytest.fixture
def other(alice, category):
    from tests.factories import ThreadFactory

    return ThreadFactory(author=alice, category=category, title="Another question about printing")


def _state(url) -> str:
    return _get(Client(), url)["X-Anon-Cache"]


def _warm(*urls) -> None:
    for url in urls:
        _get(Client(), url)
        assert _state(url) == "hit", url


@pytest.mark.parametrize("change", ["answer", "helpful", "comment", "me too"])
def test_a_write_on_one_thread_ends_its_pages_and_the_lists_not_other_threads(
    change, thread, other, answer, dave_client, alice_client
):
    mine, theirs = thread.get_absolute_url(), other.get_absolute_url()
    _warm(mine, theirs, "/", "/questions/")
    if change == "answer":
        response = dave_client.post(f"/questions/{thread.pk}/answer/", {"body": "A driver update fixed it."})
    elif change == "helpful":
        response = alice_client.post(f"/questions/answers/{answer.pk}/helpful/")
    elif change == "comment":
        response = alice_client.post(
            f"/questions/{thread.pk}/comment/",
            {"comment": "Still broken after the update.", "post": answer.pk},
        )
    else:
        response = dave_client.post(f"/questions/{thread.pk}/me-too/")
    assert response.status_code in (200, 302), response.status_code
    assert _state(mine) == "miss"
    for url in ("/", "/questions/"):  # they show its counts and status
        assert _state(url) == "miss", url
    assert _state(theirs) == "hit"  # the other thread's page was not touched


def test_a_new_question_ends_the_lists_and_a_kb_vote_the_kb_pages(thread, alice_client, bob):
    from tests.factories import ArticleFactory

    article = ArticleFactory(author=bob)
    page, kb_page = thread.get_absolute_url(), article.get_absolute_url()
    _warm(page, "/questions/", "/", "/kb/", kb_page)
    response = alice_client.post(
        "/questions/ask/",
        {"title": "Printer queue stuck after the update", "body": "Jobs wait forever in the queue.",
         "category": thread.category_id, "tags": "printing"},
    )  # fmt: skip
    assert response.status_code == 302
    assert [_state(u) for u in ("/questions/", "/", page, "/kb/")] == ["miss", "miss", "hit", "hit"]
    assert alice_client.post(f"{kb_page}vote/", {"helpful": "yes"}).status_code in (200, 302)
    assert [_state(u) for u in (kb_page, "/kb/", page, "/questions/")] == ["miss", "miss", "hit", "hit"]
    assert alice_client.post("/questions/preview/", {"body": "**bold**"}).status_code == 200
    assert [_state(u) for u in (kb_page, page, "/questions/")] == ["hit", "hit", "hit"]


def test_a_write_the_cache_cannot_place_ends_every_page(thread, other, alice_client):
    mine, theirs = thread.get_absolute_url(), other.get_absolute_url()
    _warm(mine, theirs, "/questions/")
    # The question's own edit: its title shows on other pages (lists, other threads' panels).
    response = alice_client.post(
        f"/questions/{thread.pk}/edit/",
        {"title": thread.title, "body": "Nothing syncs since the update, on two laptops.",
         "category": thread.category_id, "tags": "sync"},
    )  # fmt: skip
    assert response.status_code in (200, 302)
    assert [_state(url) for url in (mine, theirs, "/questions/")] == ["miss", "miss", "miss"]


def test_a_write_to_a_missing_answer_ends_every_page(thread, other, alice_client):
    _warm(other.get_absolute_url())
    assert alice_client.post("/questions/answers/999999/helpful/").status_code == 404
    assert _state(other.get_absolute_url()) == "miss"  # nothing to place it by: the safe way


def test_a_lost_thread_generation_is_a_miss_never_a_stale_hit(thread):
    from django.core.cache import cache

    url = thread.get_absolute_url()
    _warm(url)
    cache.delete(anoncache.THREAD_KEY.format(thread.pk))  # evicted, or expired after a day
    assert _state(url) == "miss"
    assert _state(url) == "hit"


def test_jobs_end_what_they_changed(thread, other):
    from celery import current_app

    from config.wiring import _job_ran
    from duplicates.linking import LINK_JOB
    from forum.notifications import NOTIFY_JOB
    from forum.topics import MATCH_JOB
    from jobs.models import PendingJob

    run_job = current_app.tasks["jobs.tasks.run_job"]
    mine, theirs = thread.get_absolute_url(), other.get_absolute_url()

    def ran(kind, payload):
        job = PendingJob.objects.create(kind=kind, payload=payload)
        _job_ran(sender=run_job, args=(job.pk,))

    _warm(mine, theirs, "/questions/")
    ran(NOTIFY_JOB, {"thread_id": thread.pk})  # an email: no page changed
    ran(MATCH_JOB, {"thread_id": thread.pk})  # who follows its topics: notices only
    assert [_state(u) for u in (mine, theirs, "/questions/")] == ["hit", "hit", "hit"]
    ran(LINK_JOB, {"thread_id": thread.pk})  # suggested links: its page and the lists
    assert [_state(u) for u in (mine, theirs, "/questions/")] == ["miss", "hit", "miss"]
    _warm(mine, theirs, "/questions/")
    ran("fix", {"thread_id": thread.pk})  # threads solved through a linked fix: everything
    assert [_state(u) for u in (mine, theirs, "/questions/")] == ["miss", "miss", "miss"]


def test_without_redis_a_view_is_counted_at_once(thread):
    url = thread.get_absolute_url()
    for _ in range(3):
        _get(Client(), url)
    assert Thread.objects.get(pk=thread.pk).view_count == 3  # the first from the view, two from the cache


@pytest.mark.redis
def test_with_redis_views_are_counted_in_batches(thread, settings):
    services.require(services.redis_available(services.redis_url()), "Redis is not running")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": services.redis_url(),
        }
    }
    client = views_counter._redis()
    client.delete(views_counter.HASH, views_counter.FLUSHING)
    url = thread.get_absolute_url()
    try:
        for _ in range(5):
            _get(Client(), url)  # one miss, four hits: every one counted
        assert Thread.objects.get(pk=thread.pk).view_count == 0  # no UPDATE per GET
        assert views_counter.flush() == 1
        assert Thread.objects.get(pk=thread.pk).view_count == 5
        assert views_counter.flush() == 0  # nothing new: nothing written
        # a flush that died after taking its counts: the next one writes them first
        views_counter.record(thread.pk)
        client.rename(views_counter.HASH, views_counter.FLUSHING)
        views_counter.record(thread.pk)
        assert views_counter.flush() == 2
        assert Thread.objects.get(pk=thread.pk).view_count == 7
    finally:
        client.delete(views_counter.HASH, views_counter.FLUSHING)
