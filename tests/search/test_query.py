"""search.query(): the same behaviour on PostgreSQL and SQLite.

CI runs this file on both databases (the SQLite pass and the PostgreSQL pass).
"""

from __future__ import annotations

import pytest
from django.db import transaction

import search
from search.index import BOOST_SOLVED, BOOST_UNANSWERED, remove
from tests.search.conftest import put

pytestmark = pytest.mark.django_db


def found(results) -> set[tuple[str, int]]:
    return {(hit.kind, hit.object_id) for hit in results.hits}


def test_stemming_installing_finds_install(corpus):
    results = search.query("installing")
    assert found(results) == {("article", 1)}
    assert "<mark>" in results.hits[0].snippet_html


def test_all_words_must_match_by_default(corpus):
    assert found(search.query("printer wifi")) == {("thread", 2)}


def test_quoted_words_match_only_as_a_phrase(corpus):
    assert found(search.query('"dropping wifi"')) == {("thread", 3)}
    assert found(search.query('"wifi dropping"')) == set()


def test_or_matches_either_word(corpus):
    assert found(search.query("refund or windows")) == {("thread", 4), ("thread", 3)}
    assert found(search.query("refund OR windows")) == {("thread", 4), ("thread", 3)}


def test_minus_excludes_a_word(corpus):
    assert found(search.query("printer")) == {("article", 1), ("thread", 2)}
    assert found(search.query("printer -offline")) == {("article", 1)}


def test_exclusion_alone_asks_for_a_word(corpus):
    results = search.query("-printer")
    assert results.hits == []
    assert "needs at least one word" in results.message


def test_facets_count_types_categories_tags_and_solved(corpus):
    facets = search.query("wifi or printer").facets
    assert [(f.value, f.count) for f in facets["kind"]] == [("thread", 2), ("article", 1)]
    assert [(f.value, f.label, f.count) for f in facets["category"]] == [
        ("printers", "Printers", 2),
        ("network", "Network", 1),
    ]
    assert [(f.value, f.count) for f in facets["tag"]][:2] == [("printer", 2), ("wifi", 2)]
    assert facets["solved"] == 2  # the solved thread and the published article


def test_a_selected_type_still_shows_the_other_types_count(corpus):
    results = search.query("printer", kinds=["thread"])
    assert found(results) == {("thread", 2)}
    assert results.total == 1
    assert {(f.value, f.count) for f in results.facets["kind"]} == {("article", 1), ("thread", 1)}


def test_category_tag_and_solved_filters_narrow_the_results(corpus):
    assert found(search.query("wifi or printer", category="network")) == {("thread", 3)}
    assert found(search.query("wifi or printer", tags=["printer", "wifi"])) == {("thread", 2)}
    assert found(search.query("wifi or printer", solved_only=True)) == {("article", 1), ("thread", 2)}


@pytest.mark.parametrize("who", [None, "alice"])
def test_drafts_and_hidden_threads_never_reach_visitors_or_customers(corpus, who, request):
    user = request.getfixturevalue(who) if who else None
    results = search.query("printer", user=user)
    assert ("article", 5) not in found(results)
    assert ("thread", 6) not in found(results)
    assert results.total == 2
    assert {f.value: f.count for f in results.facets["tag"]}["printer"] == 2  # counts leak nothing
    assert search.query("casino", user=user).total == 0
    assert search.query("roadmap", user=user).total == 0


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_the_team_finds_drafts_and_hidden_threads(corpus, who, request):
    results = search.query("printer", user=request.getfixturevalue(who))
    assert {("article", 5), ("thread", 6)} <= found(results)


def test_published_articles_and_solved_threads_rank_above_unanswered_threads(db):
    text = "Screen flickers when the laptop is charging"
    body = "The screen flickers while charging; unplugging stops it."
    put("thread", 10, text, body, boost=BOOST_UNANSWERED)
    put("thread", 11, text, body, boost=BOOST_SOLVED, solved=True)
    put("article", 12, text, body)
    put("thread", 13, text, body, boost=BOOST_UNANSWERED)
    hits = search.query("screen flickers charging").hits
    assert [(h.kind, h.object_id) for h in hits[:2]] == [("article", 12), ("thread", 11)]
    assert hits[0].score > hits[1].score > hits[2].score


def test_title_matches_rank_above_body_matches(db):
    put("thread", 20, "Battery drains overnight", "Nothing else to say here.")
    put("thread", 21, "Something else entirely", "My battery drains overnight too.")
    assert [h.object_id for h in search.query("battery drains").hits] == [20, 21]


def test_a_write_is_found_by_a_search_in_the_same_transaction(db):
    with transaction.atomic():
        put("thread", 30, "Keyboard types double letters", "Every key press doubles.")
        assert found(search.query("double letters")) == {("thread", 30)}
        remove("thread", 30)
        assert search.query("double letters").total == 0


def test_snippets_escape_user_text_and_mark_only_query_words(db):
    put(
        "thread",
        40,
        "<b>Bold</b> title about scanner",
        "<script>alert('x')</script> the scanner jams if 5 < 6 & stops",
    )
    hit = search.query("scanner").hits[0]
    assert "<script>" not in hit.snippet_html  # escaped (SQLite) or dropped as markup (PostgreSQL)
    assert "5 &lt; 6" in hit.snippet_html
    assert "&amp; stops" in hit.snippet_html
    assert "<mark>scanner</mark>" in hit.snippet_html
    assert hit.title_html.startswith("&lt;b&gt;Bold&lt;/b&gt;")
    assert hit.snippet_html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_markdown_syntax_is_not_shown_in_snippets(db):
    put(
        "thread", 41, "Webcam", "Open **Settings** and [the camera page](https://example.com/cam) for webcam."
    )
    snippet = search.query("webcam settings").hits[0].snippet_html
    assert "**" not in snippet and "](" not in snippet


def test_misspelling_gets_did_you_mean_and_its_results(corpus):
    results = search.query("printr")
    assert results.suggestion == "printer"
    assert results.showing_suggestion
    assert found(results) == {("article", 1), ("thread", 2)}


def test_no_result_with_every_word_falls_back_to_some_words(corpus):
    results = search.query("refund wifi")
    assert results.relaxed
    assert ("thread", 4) in found(results) and ("thread", 3) in found(results)


def test_nothing_found_is_empty_without_suggestion(corpus):
    results = search.query("zzqx")
    assert (results.total, results.hits, results.suggestion, results.relaxed) == (0, [], "", False)


def test_pages_split_the_results_and_clamp_past_the_end(db):
    for i in range(25):
        put("thread", 100 + i, f"Tablet charger number {i}", "The tablet charger is warm.")
    first = search.query("tablet charger", per_page=10)
    third = search.query("tablet charger", per_page=10, page=3)
    assert (first.total, len(first.hits), first.num_pages) == (25, 10, 3)
    assert len(third.hits) == 5
    assert not found(first) & found(third)
    assert search.query("tablet charger", per_page=10, page=99).page == 3


HOSTILE = [
    '"',
    '"""',
    '"unclosed phrase',
    "OR",
    "or or or",
    "- - -",
    "AND NOT NEAR(printer offline, 2)",
    "title:printer body:*",
    "printer*",
    "^printer",
    "(printer",
    "printer)",
    "{printer}",
    "'; DROP TABLE search_searchentry; --",
    "1' OR '1'='1",
    "printer\x00offline",
    "\x00",
    "😀🔥 printer 🙈",
    "🙈",
    "Drucker fällt aus \u2013 Überweisung",
    "プリンターが動かない",
    "مشكلة الطابعة",
    "x" * 10_000,
    "printer " * 2_000,
    "a:b:c !@#$%^&*()_+=[]\\|;',./<>?`~",
    "\\",
    "&:* | !",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_returns_results_or_a_clear_message(corpus, text):
    results = search.query(text)
    assert results.hits or results.total == 0
    assert results.message or isinstance(results.total, int)
    assert all("<script>" not in hit.snippet_html for hit in results.hits)


def test_very_long_queries_use_the_first_words_and_say_so(corpus):
    results = search.query("printer " * 2_000)
    assert found(results) == {("article", 1), ("thread", 2)}
    assert any("first 32 words" in note for note in results.notes)


def test_unicode_words_are_found(db):
    put("thread", 50, "Überweisung fehlgeschlagen", "Die Zahlung ist fehlgeschlagen.")
    assert found(search.query("überweisung")) == {("thread", 50)}


def test_only_common_words_get_a_clear_message(corpus):
    results = search.query("how do I")
    assert results.hits == [] and "Very common words" in results.message
