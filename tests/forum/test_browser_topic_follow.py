"""In Chromium: a customer follows a tag from its page (htmx) and finds it under "Topics
you follow" on the email settings page, where one click unfollows it; the search page's
"Follow this search"; and the topic emails as the HTML a mail client shows (issue 13,
item 6). Screenshots at 1280 and 360 px."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts import actions as account_actions
from forum import actions, topics
from forum.models import Category, TopicFollow
from jobs import notices
from tests.browser import both_widths, sign_in
from tests.jobs_helpers import run_pending

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_follows_a_tag_from_its_page_and_sees_it_in_settings(
    browser, live_server, artifacts_dir, alice, dave
):
    category = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    actions.create_thread(
        alice,
        "Notes stop syncing on my Windows laptop",
        "Since 4.2 the spinner never stops.",
        category,
        ["sync"],
    )
    page = sign_in(browser, live_server, dave.email)
    page.goto("/questions/tagged/sync/")
    button = page.get_by_role("button", name="Follow this tag")
    button.click()
    page.get_by_role("button", name="✓ Following this tag").wait_for()  # swapped in place by htmx
    assert TopicFollow.objects.filter(user=dave, kind="tag", tag__slug="sync").exists()
    both_widths(page, artifacts_dir, "tag-page-following")

    page.goto("/search/?q=syncing+laptop")
    page.get_by_role("button", name="Follow this search").click()
    page.get_by_role("button", name="✓ Following this search").wait_for()
    both_widths(page, artifacts_dir, "search-following")

    page.goto("/questions/tagged/sync/")
    page.get_by_role("link", name="how often").click()
    page.get_by_role("heading", name="Topics you follow").wait_for()
    section = page.locator("#topics")
    assert section.get_by_role("link", name="sync", exact=True).is_visible()
    assert section.get_by_role("link", name="syncing laptop").is_visible()
    both_widths(page, artifacts_dir, "settings-topics")
    section.get_by_role("button", name="Unfollow search syncing laptop").click()
    section.get_by_role("link", name="syncing laptop").wait_for(state="detached")
    assert list(TopicFollow.objects.filter(user=dave).values_list("kind", flat=True)) == ["tag"]


def test_a_visitor_sees_the_button_and_signs_in_first(page, artifacts_dir, alice):
    category = Category.objects.create(name="Billing", slug="billing", position=1)
    actions.create_thread(
        alice, "Charged twice for my yearly plan", "Two charges on my card this month.", category
    )
    page.goto("/questions/category/billing/")
    both_widths(page, artifacts_dir, "area-page-visitor")
    page.get_by_role("button", name="Follow this area").click()
    page.wait_for_url("**/accounts/login/**")


def test_the_topic_emails_read_well_as_html(browser, live_server, artifacts_dir, alice, dave, settings):
    category = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    actions.create_thread(
        alice, "An earlier sync question for the tag", "Made the tag exist.", category, ["sync"]
    )
    run_pending()
    account_actions.set_email_preferences(dave, {topics.TOPICS: "now"})
    tag = actions.follow_topic(dave, tag=category.threads.first().tags.first())[0]
    actions.follow_topic(dave, category=category)
    actions.follow_topic(dave, query="windows laptop")
    actions.create_thread(
        alice,
        "Notes stop syncing on my Windows laptop since 4.2",
        "The spinner never stops and **nothing** reaches my phone. I tried signing out and in.",
        category,
        ["sync", "windows"],
    )
    run_pending()
    (single,) = [m for m in mail.outbox if m.to == ["dave@example.com"]]
    token = single.extra_headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[-1]
    assert topics.read_unsubscribe_token(token) == (dave.pk, tag.pk)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_content(single.alternatives[0][0])
    assert page.get_by_role("link", name="Stop following it").count() == 3
    both_widths(page, artifacts_dir, "topic-email")
    stop = live_server.url + topics.unsubscribe_url(tag).removeprefix(settings.SITE_URL)
    page.goto(stop)  # signed out: the link's own page, a button, no sign-in
    both_widths(page, artifacts_dir, "topic-stop")
    page.get_by_role("button", name="Stop following").click()
    page.get_by_role("heading", name="You no longer follow tag “sync”").wait_for()
    assert not TopicFollow.objects.filter(pk=tag.pk).exists()
    assert TopicFollow.objects.filter(user=dave).count() == 2

    account_actions.set_email_preferences(dave, {topics.TOPICS: "digest"})
    actions.create_thread(
        alice, "Sync stopped on my Windows laptop again", "Same spinner as before.", category
    )
    actions.create_thread(alice, "Sync never finishes on the shared notebook", "Spins for hours.", category)
    run_pending()
    mail.outbox.clear()
    notices.handle_digest({"day": "2026-03-02"})
    (digest,) = mail.outbox
    page.set_content(digest.alternatives[0][0])
    assert page.get_by_role("link", name="Stop emails about this").count() == 2  # each its own
    both_widths(page, artifacts_dir, "topic-digest-email")
    context.close()
