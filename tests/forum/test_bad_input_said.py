"""Bad input is said, not handled silently (issue 12, item 9): limits shown before
posting and nothing cut, tags shown as they will be saved, no direction controls in
titles, one clear message per field and the cursor on the first."""

from __future__ import annotations

import re
from html import unescape

import pytest

from forum import actions
from forum.models import BODY_MAX, Thread

pytestmark = pytest.mark.django_db
RLO = "\u202e"


def _page(response) -> str:
    return unescape(response.content.decode())


def test_the_ask_form_shows_its_limits_and_cuts_nothing(client):
    page = _page(client.get("/questions/ask/"))
    html = re.search(r'<form class="card ask-form".*?</form>', page, re.S).group(0)
    assert "maxlength" not in html  # a browser would cut a longer paste without a word
    assert 'data-limit="20000"' in html and 'data-limit="150"' in html
    assert "<span data-count>0</span> / 20,000 characters" in html


def test_a_50000_character_paste_is_refused_with_its_length_and_kept_whole(alice_client, category):
    body = "The sync log says: timeout. " * 1786  # 50,008 characters
    response = alice_client.post(
        "/questions/ask/", {"title": "Sync log is huge", "body": body, "category": category.pk}
    )
    html = _page(response)
    assert response.status_code == 400
    said = f"The description is {len(body.strip()):,} characters long; the limit is {BODY_MAX:,}."
    assert said in html
    assert "your text is still here" in html
    assert body.strip() in html  # the whole text is back in the box
    assert Thread.objects.count() == 0


def test_an_empty_form_says_one_thing_per_field_and_focuses_the_first(alice_client, category):
    html = _page(alice_client.post("/questions/ask/", {"title": "", "body": "", "category": "", "tags": ""}))
    assert "This field is required" not in html
    errors = re.findall(r'<p class="error" id="(id_\w+)_error" role="alert">([^<]+)</p>', html)
    assert errors == [
        ("id_title", "Give your question a title: say in a few words what goes wrong."),
        ("id_body", "Describe the problem: what you did, what you expected, what happened instead."),
        ("id_category", "Choose the product area your question is about."),
    ]
    title_input = re.search(r'<input[^>]*name="title"[^>]*>', html).group(0)
    assert "autofocus" in title_input and "id_title_error" in title_input
    assert len(re.findall(r"\bautofocus\b", html)) == 1


def test_focus_goes_to_the_first_field_that_is_wrong(alice_client, category):
    html = _page(alice_client.post("/questions/ask/", {"title": "Sync stops after the update", "body": ""}))
    assert "autofocus" in re.search(r"<textarea[^>]*>", html).group(0)
    assert "autofocus" not in re.search(r'<input[^>]*name="title"[^>]*>', html).group(0)


def test_a_right_to_left_override_never_reaches_a_title(alice, alice_client, category):
    alice_client.post(
        "/questions/ask/",
        {
            "title": f"Sync {RLO}stops after the update",
            "body": "Nothing syncs since 4.2.",
            "category": category.pk,
        },
    )
    assert Thread.objects.get().title == "Sync stops after the update"
    made = actions.create_thread(alice, f"Export {RLO}fails", "Export to PDF fails on macOS.", category)
    assert made.title == "Export fails"


def test_the_tags_field_says_what_will_be_saved(client, alice_client, category):
    html = _page(client.get("/questions/tags/suggest/", {"tags": "iOS 17, Sync, sync"}))
    assert "Will be saved as:" in html
    assert re.findall(r'<span class="tag">([^<]+)</span>', html) == ["ios-17", "sync"]
    too_many = _page(client.get("/questions/tags/suggest/", {"tags": "a1, b2, c3, d4, e5, f6, g7"}))
    assert "only the first 5 are kept; remove 2." in too_many
    response = alice_client.post(
        "/questions/ask/",
        {"title": "Sync stops after the update", "body": "Nothing syncs since 4.2.", "category": category.pk,
         "tags": "iOS 17, Sync"},
        follow=True,
    )  # fmt: skip
    assert "Tags are saved as short lowercase words: ios-17, sync." in _page(response)
