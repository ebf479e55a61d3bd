"""Articles in the admin: read-only fields; publish and archive run kb.actions (search
index, emails) and are offered to those who write articles."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from accounts.actions import set_role
from kb.models import Article
from search.models import SearchEntry

ARTICLES = "/admin/kb/article/"

pytestmark = pytest.mark.usefixtures("role_groups")


def admin_client(user) -> Client:
    set_role(user, user.role)
    client = Client()
    client.force_login(user)
    return client


def run(client, action, *rows):
    return client.post(ARTICLES, {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in rows]})


def entry(article) -> SearchEntry:
    return SearchEntry.objects.get(kind="article", object_id=article.pk)


def test_staff_publish_and_archive_through_the_actions(bob, draft):
    client = admin_client(bob)
    run(client, "publish", draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.published_at is not None
    assert entry(draft).is_public
    run(client, "archive", draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.ARCHIVED and not entry(draft).is_public


def test_text_slug_and_status_are_read_only(bob, draft):
    client = admin_client(bob)
    form = client.get(f"{ARTICLES}{draft.pk}/change/").content.decode()
    for field in ("body_md", "body_html", "status", "slug"):
        assert f'name="{field}"' not in form
    assert (
        client.post(f"{ARTICLES}{draft.pk}/change/", {"status": "published", "slug": "x"}).status_code == 403
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_moderators_and_customers_cannot_publish(carol, alice, draft):
    for person in (carol, alice):
        client = Client()
        client.force_login(person)
        set_role(person, person.role)
        run(client, "publish", draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
