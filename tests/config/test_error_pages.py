"""The site's own error pages: what happened and what to do next, never Django's
technical pages (issue 12, item 10), and a robots.txt that points at the sitemap."""

from __future__ import annotations

from html import unescape

import pytest
from django.template.loader import get_template
from django.test import Client

from forum import actions

pytestmark = pytest.mark.django_db

TECHNICAL = ("Using the URLconf", "Django tried these URL patterns", "technical_404")


def test_a_missing_question_is_the_sites_404_with_what_to_do_next_in_development_too(client, settings):
    settings.DEBUG = True  # as `make run` serves it: no URL pattern list for a visitor
    response = client.get("/questions/987654/no-such-question/")
    text = unescape(response.content.decode())
    assert response.status_code == 404
    assert "This page isn't here" in text
    assert "There is no such question here" in text
    assert "Search for a fix" in text
    assert not any(marker in text for marker in TECHNICAL)


def test_an_address_no_pattern_matches_is_the_sites_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "This page isn't here" in unescape(response.content.decode())


def test_the_asker_of_a_removed_question_is_told_it_was_removed(client, alice, dave_client, thread, carol):
    actions.delete_thread(thread, carol, reason="Spam")
    client.force_login(alice)
    response = client.get(thread.get_absolute_url())
    text = unescape(response.content.decode())
    assert response.status_code == 404
    assert "Your question was removed" in text
    assert "Ask a new question" in text
    # Anyone else learns nothing about it
    other = unescape(dave_client.get(thread.get_absolute_url()).content.decode())
    assert "Your question was removed" not in other
    assert "This page isn't here" in other


def test_a_refusal_is_the_sites_403_with_the_reason(dave_client, thread):
    response = dave_client.get(f"/questions/{thread.pk}/edit/")
    text = unescape(response.content.decode())
    assert response.status_code == 403
    assert "You can't open this page" in text
    assert "You can't edit this question." in text
    assert 'name="viewport"' in text  # the site's layout, readable on a phone


def test_a_form_without_its_csrf_token_says_it_expired_and_nothing_was_saved(alice, thread):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(f"/questions/{thread.pk}/answer/", {"body": "Restart the sync service."})
    text = unescape(response.content.decode())
    assert response.status_code == 403
    assert "This form has expired" in text
    assert "Nothing was saved" in text
    assert thread.posts.count() == 0


def test_the_500_page_renders_without_a_request_or_a_database():
    text = get_template("500.html").render()
    assert "Something went wrong on our side" in text
    assert "copy it somewhere safe" in text


def test_robots_txt_points_at_the_sitemap_of_the_address_served(client, settings):
    settings.ALLOWED_HOSTS = ["help.example.org"]
    response = client.get("/robots.txt", HTTP_HOST="help.example.org")
    text = unescape(response.content.decode())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://help.example.org/sitemap.xml" in text
    for private in ("/desk/", "/moderation/", "/admin/"):
        assert f"Disallow: {private}" in text
    assert "Disallow: /questions/" not in text
