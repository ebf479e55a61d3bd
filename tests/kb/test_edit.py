"""Every save is a revision; slug changes redirect for good; the history diffs any two
revisions (escaped); staff restore an earlier version as a new revision."""

import pytest

from forum.errors import InvalidAction
from kb import actions
from kb.models import ArticleSlug, Revision


def save(article, by, **changes):
    values = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body_md,
        "category": article.category,
        "tags": article.tags.names(),
    }
    values.update(changes)
    return actions.save_article(article, by, **values)


def test_each_save_makes_a_full_text_revision_and_moves_current(article, bob):
    assert save(article, bob, title="Fix notes that stop syncing", comment="Clearer title")
    assert save(article, bob, body=article.body_md + "\n\nOne more tip.")
    revisions = list(Revision.objects.filter(article=article).order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[1].title == "Fix notes that stop syncing" and revisions[1].comment == "Clearer title"
    assert revisions[2].body_md.endswith("One more tip.")
    article.refresh_from_db()
    assert article.current_revision == revisions[2]
    assert "One more tip." in article.body_html


def test_a_save_that_changes_nothing_makes_no_revision(article, bob):
    assert save(article, bob) is False
    assert Revision.objects.filter(article=article).count() == 1


def test_edit_page_saves_a_revision(bob_client, article, category):
    response = bob_client.post(
        f"/kb/{article.slug}/edit/",
        {
            "title": "Edited through the page",
            "slug": article.slug,
            "summary": "s",
            "body": article.body_md,
            "category": category.pk,
            "tags": "sync",
            "comment": "page edit",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Edited through the page" and article.current_revision.number == 2


def test_a_changed_slug_redirects_permanently_from_the_old_one(client, article, bob):
    old = article.slug
    save(article, bob, slug="fix-sync-after-update")
    article.refresh_from_db()
    assert article.slug == "fix-sync-after-update"
    response = client.get(f"/kb/{old}/")
    assert response.status_code == 301 and response["Location"] == "/kb/fix-sync-after-update/"
    assert client.get(f"/kb/{old}/history/")["Location"] == "/kb/fix-sync-after-update/history/"
    # Changing it again keeps both old addresses working.
    save(article, bob, slug="sync-fix")
    assert client.get(f"/kb/{old}/")["Location"] == "/kb/sync-fix/"
    assert client.get("/kb/fix-sync-after-update/")["Location"] == "/kb/sync-fix/"
    # Taking back an earlier address is allowed and stops redirecting it.
    save(article, bob, slug=old)
    assert client.get(f"/kb/{old}/").status_code == 200
    assert not ArticleSlug.objects.filter(slug=old).exists()


def test_a_slug_used_by_another_article_now_or_before_is_refused(article, bob, category):
    other = actions.create_article(bob, "Another article title", "", "Body of another article.", category)
    with pytest.raises(InvalidAction, match="already used"):
        save(other, bob, slug=article.slug)
    old = article.slug
    save(article, bob, slug="renamed-article")
    with pytest.raises(InvalidAction, match="already used"):
        save(other, bob, slug=old)


def test_a_reserved_slug_is_refused_with_the_text_kept(bob_client, article, category):
    response = bob_client.post(
        f"/kb/{article.slug}/edit/",
        {
            "title": "A title that is fine",
            "slug": "new",
            "summary": "",
            "body": "My unsaved careful edit text",
            "category": category.pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and "is reserved" in html
    assert "My unsaved careful edit text" in html


def test_history_diff_shows_the_change_escaped(client, article, bob):
    save(
        article,
        bob,
        body=article.body_md.replace("choose **Skip**", "choose **Skip now** <script>x</script>"),
    )
    html = client.get(f"/kb/{article.slug}/history/?from=1&to=2").content.decode()
    assert "Changes from #1 to #2" in html
    assert 'class="diff-line diff-del"' in html and 'class="diff-line diff-add"' in html
    assert "choose **Skip now** &lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x</script>" not in html


def test_history_compares_any_two_revisions(client, article, bob):
    save(article, bob, title="Second title of the article")
    save(article, bob, title="Third title of the article")
    html = client.get(f"/kb/{article.slug}/history/?from=1&to=3").content.decode()
    assert "Changes from #1 to #3" in html and "Third title of the article" in html


def test_staff_restore_an_earlier_revision_as_a_new_revision(bob_client, article, bob):
    original = article.body_md
    save(article, bob, body="Completely rewritten body, worse than before.")
    response = bob_client.post(f"/kb/{article.slug}/history/1/restore/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body_md == original
    assert article.current_revision.number == 3 and article.current_revision.comment == "Restored revision 1"
    assert Revision.objects.filter(article=article).count() == 3


def test_only_staff_see_the_restore_buttons(client, bob_client, article, bob):
    save(article, bob, title="Second title of the article")
    assert ">Restore</button>" not in client.get(f"/kb/{article.slug}/history/").content.decode()
    assert ">Restore</button>" in bob_client.get(f"/kb/{article.slug}/history/").content.decode()
