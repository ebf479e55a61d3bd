"""/search/suggest, /search/go/<attempt>/ and the ask-attempt actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

import search
from search import actions
from search.models import AskAttempt

pytestmark = pytest.mark.django_db


def test_suggestions_list_published_articles_and_solved_threads_and_no_unvouched_open_one(client, corpus):
    html = client.get("/search/suggest", {"title": "printer offline after the update"}).content.decode()
    assert "These might already answer your question" in html
    assert "Printer shows offline after update" in html  # solved thread
    assert "How to install the printer driver" in html  # published article
    assert "roadmap" not in html and "casino" not in html.lower()  # draft, hidden
    unsolved = client.get("/search/suggest", {"title": "router keeps dropping wifi"}).content.decode()
    # An open thread is suggested only as its app's review hook lets it be (forum/suggestions.py):
    # this one is in the index only, with no forum row behind it.
    assert "Router keeps dropping wifi" not in unsolved


def test_kinds_with_an_open_label_are_suggested_unsolved_and_reviewed_by_their_app(
    client, corpus, monkeypatch
):
    """search knows no app: a kind says it wants its unsolved documents suggested, and
    its hook drops or decorates them."""
    from search import kinds
    from tests.search.conftest import put

    monkeypatch.setattr(kinds, "_kinds", dict(kinds._kinds))
    seen = []

    def review(hits, user):
        seen.append([h.object_id for h in hits])
        return [h for h in hits if h.object_id != 41]

    kinds.register_kind(
        "gadget", label="Gadget", plural="Gadgets", open_label="Open gadget", review_suggestions=review
    )
    put("gadget", 40, "Scanner jams on every page")
    put("gadget", 41, "Scanner jams when duplex is on")
    html = client.get("/search/suggest", {"title": "scanner jams"}).content.decode()
    assert "Scanner jams on every page" in html and "Open gadget" in html
    assert "duplex" not in html  # dropped by its app
    assert sorted(seen[0]) == [40, 41]
    kinds.register_kind("gadget", label="Gadget", plural="Gadgets")  # no open_label: not suggested unsolved
    assert "Scanner jams" not in client.get("/search/suggest", {"title": "scanner jams"}).content.decode()


def test_short_or_empty_input_returns_an_empty_fragment(client, corpus):
    assert client.get("/search/suggest", {"title": "pr"}).content.strip() == b""
    assert client.get("/search/suggest").content.strip() == b""


def test_suggestions_are_recorded_and_link_through_the_attempt(alice_client, corpus, alice):
    token = actions.new_token()
    html = alice_client.get(
        "/search/suggest", {"title": "printer offline", "attempt": token}
    ).content.decode()
    attempt = AskAttempt.objects.get(token=token)
    assert attempt.suggestions_shown == 2
    assert attempt.user == alice
    assert f"/search/go/{token}/?to=/thread/2/" in html.replace("%2F", "/")


def test_an_ask_page_visit_that_shows_nothing_writes_no_row(client, corpus):
    """Issue 11: every view of the ask page wrote an attempt row, crawlers included."""
    token = actions.new_token()
    assert AskAttempt.objects.count() == 0
    client.get("/search/suggest", {"title": "zzqx nothing matches this", "attempt": token})
    client.get("/search/suggest", {"title": "pr", "attempt": token})
    assert AskAttempt.objects.count() == 0


def test_opening_a_shown_suggestion_records_it_and_redirects(client, corpus):
    token = actions.new_token()
    actions.record_shown(token, ["/thread/2/"])
    attempt = AskAttempt.objects.get(token=token)
    response = client.get(f"/search/go/{attempt.token}/", {"to": "/thread/2/"})
    assert response.status_code == 302 and response["Location"] == "/thread/2/"
    attempt.refresh_from_db()
    assert attempt.opened_url == "/thread/2/" and attempt.opened_at is not None


def test_go_refuses_urls_the_attempt_was_not_shown(client, corpus):
    token = actions.new_token()
    actions.record_shown(token, ["/thread/2/"])
    attempt = AskAttempt.objects.get(token=token)
    assert client.get(f"/search/go/{attempt.token}/", {"to": "https://evil.example/"}).status_code == 404
    assert client.get("/search/go/" + "0" * 32 + "/", {"to": "/thread/2/"}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.opened_at is None


def test_forged_attempt_tokens_are_ignored(client, corpus):
    response = client.get("/search/suggest", {"title": "printer offline", "attempt": "../../x/y"})
    assert response.status_code == 200 and "/search/go/" not in response.content.decode()
    assert actions.record_posted("not-a-token") is False


def test_record_posted_and_record_open_are_idempotent(db):
    token = actions.new_token()
    actions.record_shown(token, ["/a/", "/b/"])
    attempt = AskAttempt.objects.get(token=token)
    assert actions.record_open(attempt.token, "/a/") is True
    assert actions.record_open(attempt.token, "/b/") is False
    assert actions.record_posted(attempt.token) is True
    assert actions.record_posted(attempt.token) is False
    attempt.refresh_from_db()
    assert attempt.opened_url == "/a/" and attempt.posted_at is not None


def test_similar_excludes_given_documents_and_private_ones(corpus):
    hits = search.similar("printer offline after update", "", kinds=("thread",), exclude=[2])
    assert ("thread", 2) not in {(h.kind, h.object_id) for h in hits}
    assert ("thread", 6) not in {(h.kind, h.object_id) for h in hits}
    both = search.similar("printer offline", kinds=None, exclude=[("article", 1)])
    assert [(h.kind, h.object_id) for h in both] == [("thread", 2)]
    with pytest.raises(ValueError, match="exactly one kind"):
        search.similar("printer", kinds=None, exclude=[1])


def test_similar_ranks_the_closest_title_first(corpus):
    hits = search.similar("My router drops the wifi every hour", "", kinds=None)
    assert (hits[0].kind, hits[0].object_id) == ("thread", 3)


def _attempt(opened: bool, posted: bool, age: dt.timedelta) -> None:
    created = timezone.now() - age
    AskAttempt.objects.create(
        token=f"{AskAttempt.objects.count():032x}",
        created_at=created,
        suggestions_shown=2,
        opened_at=created if opened else None,
        opened_url="/thread/2/" if opened else "",
        posted_at=created if posted else None,
    )


def test_deflection_page_counts_prevented_questions_for_staff(bob_client, corpus):
    _attempt(opened=True, posted=False, age=dt.timedelta(days=1))  # prevented
    _attempt(opened=True, posted=False, age=dt.timedelta(days=2))  # prevented
    _attempt(opened=True, posted=True, age=dt.timedelta(days=1))  # posted anyway
    _attempt(opened=False, posted=True, age=dt.timedelta(days=1))
    _attempt(opened=True, posted=False, age=dt.timedelta(minutes=5))  # still deciding
    _attempt(opened=True, posted=False, age=dt.timedelta(days=40))  # outside 30 days
    response = bob_client.get("/search/deflection/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["prevented"], figures["started"], figures["posted"], figures["pending"]) == (2, 5, 2, 1)
    assert response.context["top_content"] == [
        {"url": "/thread/2/", "title": "Printer shows offline after update", "count": 2}
    ]
    assert bob_client.get("/search/deflection/", {"days": "90"}).context["figures"]["prevented"] == 3


def test_deflection_page_is_refused_to_customers_and_visitors(client, alice_client, carol_client, db):
    assert alice_client.get("/search/deflection/").status_code == 403
    assert client.get("/search/deflection/").status_code == 302
    assert carol_client.get("/search/deflection/").status_code == 200


def test_similar_matches_titles_and_tags_not_bodies(db):
    from tests.search.conftest import put

    put("thread", 1, "Speaker crackles at high volume", "Nothing about headsets here.", tags=["audio"])
    put("thread", 2, "Unrelated title", "The speaker crackles at high volume too.")
    put("thread", 3, "Headset question", "Body text.", tags=["speaker"])
    hits = search.similar("speaker crackles", "")
    assert [h.object_id for h in hits] == [1, 3]


def test_similar_leaves_out_words_most_titles_share(db):
    from search.query import informative_terms
    from tests.search.conftest import put

    for i in range(40):
        put("thread", 100 + i, f"Printer problem number {i}", "")
    put("thread", 1, "Printer smudges toner on envelopes", "")
    assert informative_terms(["printer", "smudges", "envelopes"]) == ["smudges", "envelopes"]
    assert informative_terms(["printer", "problem"]) == [
        "printer",
        "problem",
    ]  # all common: keep the rarest two
    assert [h.object_id for h in search.similar("printer smudges envelopes", "")] == [1]


def test_words_no_title_has_do_not_push_out_one_that_matches(db):
    """A long question whose body words appear in no title or tag (so can match none)
    still finds the thread whose title shares its rarer title words."""
    from search.query import informative_terms
    from search.text import salient_terms
    from tests.search.conftest import put

    put("thread", 1, "Android app drains the battery in the background", "", tags=["android", "battery"])
    put("thread", 2, "Can I lock the app on Android?", "", tags=["android"])
    title = "Battery drain on Android: the app keeps running"
    body = (
        "My phone says it used 21% today although I opened it once. Galaxy S23, version 4.1.3, how to stop?"
    )
    assert "battery" in informative_terms(salient_terms(title, body))
    assert search.similar(title, body)[0].object_id == 1


@pytest.mark.parametrize("size", [5, 40])
def test_suggest_query_count_does_not_grow_with_the_data(client, db, django_assert_num_queries, size):
    from tests.search.conftest import put

    for i in range(size):
        put("thread", i + 1, f"Charger gets hot number {i}", "", solved=True)
    with django_assert_num_queries(3):  # vocabulary frequencies, public count (then cached), candidates
        client.get("/search/suggest", {"title": "charger hot"})
    with django_assert_num_queries(2):
        client.get("/search/suggest", {"title": "charger hot"})


@pytest.mark.parametrize("size", [3, 30])
def test_deflection_page_query_count_does_not_grow(bob_client, db, django_assert_num_queries, size):
    for i in range(size):
        _attempt(opened=True, posted=i % 2 == 0, age=dt.timedelta(days=1, minutes=i))
    with django_assert_num_queries(5):  # session, user, figures, top content, titles
        assert bob_client.get("/search/deflection/").status_code == 200
