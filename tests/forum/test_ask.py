"""/questions/ask/ and create_thread: who may ask, what is checked, nothing typed is lost."""

import re

import pytest
from django.urls import reverse

from forum import actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import Follow, Tag, Thread

ASK = "/questions/ask/"


def form(cat, **overrides):
    data = {
        "title": "Sync stops after the 4.2 update",
        "body": "Nothing syncs from my laptop since the update.",
        "category": cat.pk,
        "tags": "Sync, Windows 11",
    }
    data.update(overrides)
    return data


def test_verified_customer_asks_and_lands_on_the_question(alice_client, alice, category):
    response = alice_client.post(ASK, form(category))
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert thread.author == alice
    assert thread.status == Thread.Status.WAITING  # asked by a customer: waiting for staff
    assert sorted(thread.tags.names()) == ["sync", "windows-11"]
    assert Follow.objects.filter(user=alice, thread=thread).exists()
    assert thread.follower_count == 1


def test_posting_records_that_the_ask_attempt_still_ended_in_a_question(alice_client, category):
    from search.models import AskAttempt

    page = alice_client.get(ASK)
    token = page.context["ask_attempt"]
    assert not AskAttempt.objects.exists()  # viewing the page writes nothing (issue 11)
    response = alice_client.post(ASK, form(category, ask_attempt=token))
    assert response.status_code == 302
    attempt = AskAttempt.objects.get(token=token)
    assert attempt.posted_at is not None
    assert attempt.user is not None


def test_ask_page_shows_form_and_existing_categories_to_anyone(client, category):
    response = client.get(ASK)
    assert response.status_code == 200
    assert "Sync &amp; accounts" in response.content.decode()


def test_anonymous_post_goes_to_sign_in_and_comes_back_with_the_text(client, alice, category):
    response = client.post(ASK, form(category, title="My very own typed title"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fquestions%2Fask%2F"
    assert not Thread.objects.exists()
    client.force_login(alice)  # signing in keeps the session's data
    page = client.get(ASK).content.decode()
    assert "My very own typed title" in page
    assert "Nothing syncs from my laptop" in page


def test_unverified_user_is_told_to_verify_and_keeps_the_text(unverified_client, category):
    response = unverified_client.post(ASK, form(category, title="Typed by someone unverified"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "verify your email" in html
    assert "Typed by someone unverified" in html
    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Give your question a title"),
        ({"title": "Too short"}, "at least 10 characters"),
        ({"title": "x" * 151}, "The title is 151 characters long; the limit is 150."),
        ({"body": ""}, "Describe the problem"),
        ({"body": "y" * 20_001}, "The description is 20,001 characters long; the limit is 20,000."),
        ({"tags": "a, b, c, d, e, f"}, "Use at most 5 tags"),
        ({"category": ""}, "Choose the product area your question is about."),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_keeps_the_rest(
    alice_client, category, overrides, message
):
    data = form(category, **overrides)
    response = alice_client.post(ASK, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert not Thread.objects.exists()
    for field in ("title", "body"):
        if field not in overrides:
            assert data[field] in html


def test_tags_are_normalized_deduplicated_and_limited():
    assert actions.normalize_tags("Sync, sync , iOS 17,, Two Factor!") == ["sync", "ios-17", "two-factor"]


def test_action_refuses_more_than_five_tags_and_unverified_authors(alice, unverified, category):
    with pytest.raises(InvalidAction):
        actions.create_thread(alice, "A good long title", "A good long body", category, list("abcdef"))
    with pytest.raises(NotAllowed):
        actions.create_thread(unverified, "A good long title", "A good long body", category)


def test_personal_data_in_title_and_body_is_masked_before_storing(alice, category):
    thread = actions.create_thread(
        alice,
        "Refund for order #BD-2026-118842",
        "Reach me at alice@example.com or +44 20 7946 0958.",
        category,
    )
    for text in (thread.title, thread.body_md, thread.body_html):
        assert "118842" not in text and "alice@example.com" not in text and "7946" not in text


def test_preview_returns_sanitized_html(client):
    response = client.post(reverse("forum:preview"), {"body": "**bold** <script>x</script>"})
    assert "<strong>bold</strong>" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_tag_suggestions_list_existing_tags_matching_the_last_word(client, thread):
    Tag.objects.create(name="sync-errors", slug="sync-errors")
    html = client.get(reverse("forum:tag_suggest"), {"tags": "windows, sy"}).content.decode()
    assert 'data-tag="sync"' in html and 'data-tag="sync-errors"' in html
    html = client.get(reverse("forum:tag_suggest"), {"tags": "sync, sy"}).content.decode()
    assert 'data-tag="sync"' not in html  # already chosen


def test_slug_never_collides_with_an_action_word(alice, category):
    thread = actions.create_thread(alice, "Edit!!!!!!!!!!", "Body text long enough", category)
    assert thread.slug == "edit-question"


def test_anonymous_preview_of_order_and_many_spaces_answers_at_once(client):
    """Issue 11: "order" + 300 spaces held a CPU for 21 s on one anonymous preview."""
    from tests.forum.test_markdown_worst_case import watchdog

    body = "My order" + " " * 19_990 + "x"
    with watchdog():
        response = client.post(reverse("forum:preview"), {"body": body})
    assert response.status_code == 200
    assert "My order" in response.content.decode()


def test_preview_says_why_a_too_deeply_nested_body_cannot_be_shown(client):
    response = client.post(reverse("forum:preview"), {"body": "- " * 30 + "deep"})
    html = response.content.decode()
    assert "nested too deeply" in html
    assert "<li>" not in html


def test_too_deeply_nested_question_is_refused_and_the_text_kept(alice_client, category):
    body = "Steps:\n\n" + "> " * 25 + "the rest of my question"
    response = alice_client.post(ASK, form(category, body=body))
    assert response.status_code == 400
    assert not Thread.objects.exists()
    html = response.content.decode()
    assert "nested too deeply" in html
    assert "the rest of my question" in html  # the textarea still holds it


def test_title_in_the_address_fills_in_the_title_for_visitors_and_customers(client, alice_client, db):
    # search's no-results page links here with what was searched for
    for who in (client, alice_client):
        page = who.get(ASK, {"title": "  printer   offline  "}).content.decode()
        assert 'value="printer offline"' in page


def test_a_kept_draft_wins_over_the_title_in_the_address(client, alice, category):
    client.post(ASK, form(category, title="My very own typed title"))
    client.force_login(alice)
    page = client.get(ASK, {"title": "something searched"}).content.decode()
    assert "My very own typed title" in page and "something searched" not in page


def test_title_in_the_address_is_cut_to_the_title_limit(client, db):
    from forum.models import TITLE_MAX

    page = client.get(ASK, {"title": "x" * 500}).content.decode()
    assert re.search(r'name="title"[^>]*value="(x*)"', page).group(1) == "x" * TITLE_MAX
