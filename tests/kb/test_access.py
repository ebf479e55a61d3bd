"""Who sees and who writes: drafts and archived articles are 404 for everyone but staff
(never 403); writing is for staff; visitors are sent to sign in."""

import pytest

from forum.errors import NotAllowed
from kb import actions
from kb.models import Article


def test_a_draft_is_404_for_visitors_and_customers_and_visible_to_staff(
    client, alice_client, bob_client, draft
):
    url = f"/kb/{draft.slug}/"
    assert client.get(url).status_code == 404
    assert alice_client.get(url).status_code == 404
    response = bob_client.get(url)
    assert response.status_code == 200 and "Only staff see this article" in response.content.decode()


def test_an_archived_article_is_404_for_everyone_but_staff(client, alice_client, bob_client, article, bob):
    actions.archive(article, bob)
    for who in (client, alice_client):
        assert who.get(f"/kb/{article.slug}/").status_code == 404
        assert who.get(f"/kb/{article.slug}/history/").status_code == 404
    assert bob_client.get(f"/kb/{article.slug}/").status_code == 200


def test_drafts_are_not_listed_for_others_but_are_for_staff(client, bob_client, draft):
    assert draft.title not in client.get("/kb/").content.decode()
    assert draft.title in bob_client.get("/kb/").content.decode()


@pytest.mark.parametrize(
    ("method", "path", "staff_status", "staff_location"),
    [
        ("get", "/kb/{slug}/edit/", 200, None),  # the form
        ("post", "/kb/{slug}/edit/", 400, None),  # an empty form: the errors, kept text
        ("post", "/kb/{slug}/publish/", 302, "/kb/{slug}/"),  # already published: back to it
        ("post", "/kb/{slug}/archive/", 302, "/kb/{slug}/edit/"),
        ("post", "/kb/{slug}/history/1/restore/", 302, "/kb/{slug}/history/"),
        ("post", "/kb/{slug}/link/", 302, "/kb/{slug}/edit/"),  # no thread given: a message there
    ],
)
def test_writes_send_visitors_to_sign_in_give_customers_403_or_404_and_let_staff_in(
    client, alice_client, bob_client, article, bob, method, path, staff_status, staff_location
):
    draft = actions.create_article(
        bob, "A draft nobody else sees", "", "Text of the draft article.", article.category
    )
    published_url = path.format(slug=article.slug)
    response = getattr(client, method)(published_url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert getattr(alice_client, method)(published_url).status_code == 403
    # A customer must not learn that a draft exists: 404, not 403.
    assert getattr(alice_client, method)(path.format(slug=draft.slug)).status_code == 404
    response = getattr(bob_client, method)(published_url)
    assert response.status_code == staff_status
    assert response.get("Location") == (staff_location and staff_location.format(slug=article.slug))


def test_new_article_page_is_staff_only(client, alice_client, bob_client, category):
    response = client.get("/kb/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert alice_client.get("/kb/new/").status_code == 403
    assert bob_client.get("/kb/new/").status_code == 200


def test_unhelpful_report_is_staff_only(client, alice_client, bob_client, db):
    assert client.get("/kb/unhelpful/").status_code == 302
    assert alice_client.get("/kb/unhelpful/").status_code == 403
    assert bob_client.get("/kb/unhelpful/").status_code == 200


def test_moderators_do_not_write_articles(carol, category):
    with pytest.raises(NotAllowed):
        actions.create_article(
            carol, "Moderator article title", "", "Some body text here, long enough.", category
        )


def test_customers_cannot_edit_publish_archive_or_restore_through_actions(article, alice, category):
    with pytest.raises(NotAllowed):
        actions.save_article(
            article, alice, title="Hijacked title here", summary="", body="x" * 30, category=category, tags=[]
        )
    with pytest.raises(NotAllowed):
        actions.archive(article, alice)
    with pytest.raises(NotAllowed):
        actions.restore_revision(article, 1, alice)
    draft = Article.objects.create(
        title="Manual draft",
        slug="manual-draft",
        body_md="x",
        body_html="x",
        category=category,
        author=article.author,
    )
    with pytest.raises(NotAllowed):
        actions.publish(draft, alice)
    article.refresh_from_db()
    assert article.status == "published" and article.title != "Hijacked title here"


def test_staff_can_create_a_draft_from_the_new_page(bob_client, category):
    response = bob_client.post(
        "/kb/new/",
        {
            "title": "Reset your password safely",
            "summary": "How to reset it.",
            "body": "## Steps\n\nGo to Settings.",
            "category": category.pk,
            "tags": "account, password",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kb/{article.slug}/edit/"
    assert article.status == "draft" and sorted(article.tags.names()) == ["account", "password"]


def test_bad_input_on_the_new_page_explains_and_keeps_the_text(bob_client, category):
    response = bob_client.post(
        "/kb/new/", {"title": "Short", "body": "My long carefully written body text", "category": category.pk}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ensure this value has at least 10 characters" in html
    assert "My long carefully written body text" in html and 'value="Short"' in html
    assert not Article.objects.exists()
