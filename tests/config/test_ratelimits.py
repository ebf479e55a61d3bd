"""Rate limits on every write (issue 11, item 1): config/ratelimits.py.

Each refusal is a 429 that says what was limited and when to try again, and keeps
what was written. The table covers every URL of ours that writes: a new URL that is
neither in config.ratelimits.VIEW_KINDS nor known to be read-only fails here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from config import ratelimits
from forum.models import Thread
from kb.models import HelpfulVote

ASK = "/questions/ask/"


@pytest.fixture(autouse=True)
def _limits_on(rate_limits):
    """Limits are off in the rest of the suite (tests/conftest.py)."""


@pytest.fixture
def category(db):
    from forum.models import Category

    return Category.objects.create(name="Sync & accounts", slug="sync", position=1)


@pytest.fixture
def thread(alice, category):
    from forum import actions

    return actions.create_thread(
        alice, "Notes stop syncing after the update", "Nothing syncs here.", category
    )


@pytest.fixture
def published_article(thread, bob):
    from forum import actions as forum_actions
    from kb import actions

    answer = forum_actions.add_answer(thread, bob, "## Fix\n\nChoose Skip in Settings, then update to 4.2.1.")
    article = actions.promote(answer, bob)
    actions.publish(article, bob)
    article.refresh_from_db()
    return article


# Every named URL of our apps that only reads (GET pages). The rest must be limited.
READ_ONLY = {
    "home", "healthz", "metrics", "django.contrib.sitemaps.views.sitemap",
    "forum:list", "forum:mine", "forum:tagged", "forum:category", "forum:thread", "forum:thread_noslug",
    "forum:thread_history", "forum:post_history", "duplicates:cluster",
    "kb:home", "kb:category", "kb:article", "kb:history", "kb:unhelpful",
    "search:search", "search:open_suggestion", "search:deflection", "accounts:profile",
    "moderation:queue", "moderation:audit", "moderation:case",
    "desk:queue", "desk:team", "desk:links", "desk:replies", "desk:insights", "desk:articles",
    "desk:repeats", "stats",
}  # fmt: skip
OUR_NAMESPACES = {"forum", "kb", "search", "accounts", "duplicates", "desk", "moderation", "jobs"}


def _our_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                names.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns)
    return {n for n in names if ":" not in n or n.split(":")[0] in OUR_NAMESPACES} - {"home"} | {"home"}


def test_every_url_of_ours_is_either_limited_or_read_only():
    names = {n for n in _our_url_names() if ":" in n}
    unclassified = names - set(ratelimits.VIEW_KINDS) - READ_ONLY
    assert unclassified == set(), "add these to config.ratelimits.VIEW_KINDS (or READ_ONLY here)"
    assert set(ratelimits.VIEW_KINDS) <= names  # no stale names


def test_every_kind_has_limits_and_a_name(settings):
    for kind in set(ratelimits.VIEW_KINDS.values()):
        assert settings.RATE_LIMITS[kind], kind
        assert kind in ratelimits.NOUNS


def _ask(client, category, n):
    return client.post(
        ASK,
        {"title": f"Sync stops after update number {n}", "body": f"Nothing syncs since the update here ({n}).",
         "category": category.pk, "tags": "sync"},
    )  # fmt: skip


def test_a_new_account_may_ask_three_questions_on_its_first_day(alice_client, alice, category, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "thread": ratelimits.parse("new 3/d, account 20/d")}
    assert alice.is_new_account
    codes = [_ask(alice_client, category, n).status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]
    assert Thread.objects.count() == 3


def test_the_refusal_says_when_to_try_again_and_keeps_the_text(alice_client, category, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "thread": ratelimits.parse("new 1/d")}
    _ask(alice_client, category, 1)
    response = _ask(alice_client, category, 2)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 86_400
    html = response.content.decode()
    assert (
        "You have reached the limit for new questions: 1 per day for an account in its first 24 hours" in html
    )
    assert "Please try again in" in html
    assert "Sync stops after update number 2" in html and "Nothing syncs since the update here (2)." in html
    assert "Started" not in html and ">Category<" not in html  # tokens and ids are not shown back


def test_an_established_account_gets_the_ordinary_limit(alice_client, alice, category, settings):
    alice.date_joined = timezone.now() - dt.timedelta(days=30)
    alice.save(update_fields=["date_joined"])
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "thread": ratelimits.parse("new 1/d, account 2/d")}
    assert [_ask(alice_client, category, n).status_code for n in range(3)] == [302, 302, 429]


def test_one_account_posting_a_hundred_threads_is_stopped_by_the_defaults(alice_client, category):
    """Issue 11: one new account posted 100 threads in 17 s, all accepted."""
    codes = [_ask(alice_client, category, n).status_code for n in range(100)]
    assert codes.count(302) <= 3
    assert Thread.objects.count() <= 3


def test_the_team_is_not_limited(bob_client, category, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "thread": ratelimits.parse("account 1/d, new 1/d, ip 1/d"),
    }
    assert [_ask(bob_client, category, n).status_code for n in range(3)] == [302, 302, 302]


def test_me_too_toggled_a_hundred_times_is_stopped(dave_client, thread):
    """Issue 11: me-too / follow toggled 100 times, all accepted."""
    codes = [dave_client.post(f"/questions/{thread.pk}/me-too/").status_code for _ in range(100)]
    assert 429 in codes
    assert codes.index(429) <= 60


def test_an_htmx_refusal_is_a_notice_for_the_page(dave_client, thread, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "follow": ratelimits.parse("new 1/h")}
    dave_client.post(f"/questions/{thread.pk}/follow/", HTTP_HX_REQUEST="true")
    response = dave_client.post(f"/questions/{thread.pk}/follow/", HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert response["HX-Retarget"] == "#notices"
    assert "You have reached the limit for follows: 1 per hour" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_anonymous_kb_votes_from_one_address_count_once_or_so_not_a_hundred(client, published_article):
    """Issue 11: dropping the cookie each time, 100 anonymous votes moved the count from 15 to 115."""
    url = f"/kb/{published_article.slug}/vote/"
    codes = []
    for _ in range(100):
        client.cookies.clear()
        codes.append(client.post(url, {"helpful": "yes"}).status_code)
    assert HelpfulVote.objects.filter(article=published_article).count() <= 3
    assert codes.count(429) >= 97


def test_a_refused_vote_says_so(client, published_article, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "kb_vote": ratelimits.parse("ip-target 1/d")}
    url = f"/kb/{published_article.slug}/vote/"
    client.post(url, {"helpful": "yes"})
    client.cookies.clear()
    response = client.post(url, {"helpful": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert "votes on articles" in response.content.decode()


def test_limits_key_on_the_client_address_behind_a_trusted_proxy(client, published_article, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "kb_vote": ratelimits.parse("ip-target 1/d")}
    url = f"/kb/{published_article.slug}/vote/"
    first = client.post(url, {"helpful": "yes"}, HTTP_X_FORWARDED_FOR="203.0.113.1")
    client.cookies.clear()
    other = client.post(url, {"helpful": "yes"}, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert (first.status_code, other.status_code) != (429, 429)
    assert other.status_code != 429


def test_preview_and_suggestions_are_limited_per_address(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "preview": ratelimits.parse("ip 2/m"),
                            "suggest": ratelimits.parse("ip 2/m")}  # fmt: skip
    assert [client.post("/questions/preview/", {"body": "x"}).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert [client.get("/search/suggest", {"title": "sync"}).status_code for _ in range(3)] == [200, 200, 429]


def test_reading_is_never_limited(client, thread, settings):
    settings.RATE_LIMITS = {kind: ratelimits.parse("ip 1/d") for kind in settings.RATE_LIMITS}
    assert {client.get(thread.get_absolute_url()).status_code for _ in range(5)} == {200}


@pytest.mark.parametrize("text", ["account 20", "user 20/d", "ip twenty/d", "ip 20/y"])
def test_a_limit_written_wrong_is_refused_with_a_message(text):
    with pytest.raises(ValueError, match="not a rate limit"):
        ratelimits.parse(text)


def test_refusal_messages_read_well():
    refusal = ratelimits.Refusal("answer", ratelimits.Limit("account", "1/5s"), 4)
    assert refusal.message == (
        "You have reached the limit for answers: 1 per 5 seconds. Please try again in a few seconds."
    )
    assert ratelimits._wait_words(3_700) == "2 hours"
    assert ratelimits._wait_words(61) == "2 minutes"


def test_one_new_account_posting_a_hundred_answers_is_stopped(alice_client, thread):
    """Issue 11: 100 answers in 19 s, all accepted."""
    codes = [
        alice_client.post(
            f"/questions/{thread.pk}/answer/", {"body": f"Answer number {n} to this."}
        ).status_code
        for n in range(100)
    ]
    assert codes.count(302) == 1  # new accounts: one answer per 30 seconds
    assert set(codes) == {302, 429}


def test_follow_toggled_a_hundred_times_is_stopped(dave_client, thread):
    codes = [dave_client.post(f"/questions/{thread.pk}/follow/").status_code for _ in range(100)]
    assert codes.count(429) >= 80


def test_comments_are_limited_as_comments_and_the_text_is_kept(alice_client, thread, settings):
    """Issue 12, item 2: posting, editing and deleting comments share the "comment" kind."""
    assert {
        ratelimits.VIEW_KINDS[f"forum:{name}"] for name in ("comment", "edit_comment", "delete_comment")
    } == {"comment"}
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": ratelimits.parse("new 2/d")}
    url = f"/questions/{thread.pk}/comment/"
    codes = [
        alice_client.post(url, {"comment": f"Still broken here, try {n}."}).status_code for n in range(3)
    ]
    assert codes == [302, 302, 429]
    response = alice_client.post(url, {"comment": "One more: it happens on the phone too."})
    html = response.content.decode()
    assert "You have reached the limit for comments: 2 per day" in html
    assert "One more: it happens on the phone too." in html
