"""Publishing publishes what is on the screen (issue 12, item 7, "the KB's publish trap").

Editing a promoted draft and pressing the sidebar's separate Publish button used to
publish the old text and email followers. Now: "Save and publish" is a button of the
edit form itself (the submitted text is saved first), publishing goes through a
confirmation that says how many people the email job will email, and the confirmation
publishes the revision it showed, or nothing when someone saved a newer one since."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import User
from forum import actions as forum_actions
from forum.errors import InvalidAction
from jobs.models import Notice
from kb import actions, notifications
from kb.models import Article, Revision
from tests.conftest import make_user
from tests.jobs_helpers import run_pending

EDITED_TITLE = "Fix notes that stop syncing after 4.2"
EDITED_SUMMARY = "Skip the stalled upload, then install 4.2.1."
EDITED_BODY = (
    "## Skip the stalled upload\n\nOpen *Settings → Sync → Upload queue* and choose **Skip for now**."
)


def edit_form(article, **overrides) -> dict:
    return {
        "title": EDITED_TITLE,
        "slug": article.slug,
        "summary": EDITED_SUMMARY,
        "body": EDITED_BODY,
        "category": article.category_id,
        "tags": "sync",
        "comment": "Tightened into an article",
        "base_revision": str(article.current_revision.number),
        **overrides,
    }


def confirm_url(article) -> str:
    return f"/kb/{article.slug}/publish/"


def text(html: str) -> str:
    """The page as a reader reads it: no tags, one space between words."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def shown_revision(html: str) -> str:
    return re.search(r'name="revision" value="(\d+)"', html).group(1)


def test_save_and_publish_publishes_the_submitted_text_after_a_confirmation(
    bob_client, client, draft, thread
):
    run_pending()
    mail.outbox.clear()
    response = bob_client.post(f"/kb/{draft.slug}/edit/", {**edit_form(draft), "then": "publish"})
    # The text on screen is saved first; nothing is public or emailed before the confirmation.
    assert response.status_code == 302 and response["Location"] == confirm_url(draft)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.title == EDITED_TITLE and draft.body_md == EDITED_BODY
    page = bob_client.get(confirm_url(draft)).content.decode()
    assert "This will email 1 person who follows the question it resolves" in text(page)
    assert "Skip for now" in page  # the confirmation shows the text that will go public
    response = bob_client.post(confirm_url(draft), {"revision": shown_revision(page)})
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == "published"
    public = client.get(draft.get_absolute_url()).content.decode()
    assert EDITED_TITLE in public and "Skip for now" in public
    assert "Known problem" not in public and "known problem in 4.2.0" not in public
    run_pending()
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == f"New help article: {EDITED_TITLE}"
    assert EDITED_SUMMARY in message.body


def test_the_edit_page_has_no_publish_button_outside_the_form(bob_client, draft):
    html = bob_client.get(f"/kb/{draft.slug}/edit/").content.decode()
    # The old sidebar posted to /publish/ on its own and published the saved (stale) text.
    assert f'action="{confirm_url(draft)}"' not in html
    publish_buttons = re.findall(r"<button[^>]*value=\"publish\"[^>]*>", html)
    assert publish_buttons, "Save and publish is offered"
    for button in publish_buttons:
        assert 'name="then"' in button
        assert 'form="kb-edit-form"' in button  # submits the edit form, with the text on screen


def test_a_stale_publish_form_cannot_publish_old_text_over_unsaved_edits(bob_client, draft):
    """What the old sidebar sent: a bare POST, without the revision the person saw."""
    bob_client.get(f"/kb/{draft.slug}/edit/")  # the editor is open; the edits are in the browser only
    response = bob_client.post(confirm_url(draft))
    assert response.status_code == 302 and response["Location"] == confirm_url(draft)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not mail.outbox


@pytest.fixture
def followed_world(draft, thread, alice, bob, carol, dave, category):
    """alice asked (follows), dave said "me too" (follows), bob (the publisher) follows,
    erin follows both linked questions, an inactive account follows, and gina follows
    only a linked question that was deleted since: the job emails alice, dave and erin."""
    forum_actions.me_too(dave, thread)
    forum_actions.follow(bob, thread)
    erin = make_user("erin@example.com", "Erin")
    frank = make_user("frank@example.com", "Frank")
    gina = make_user("gina@example.com", "Gina")
    second = forum_actions.create_thread(dave, "Sync stopped on my phone too", "Same as the other.", category)
    gone = forum_actions.create_thread(gina, "Sync broke on my tablet as well", "Nothing syncs.", category)
    for other in (second, gone):
        actions.link_thread(draft, other, bob)
    forum_actions.follow(erin, thread)
    forum_actions.follow(erin, second)
    forum_actions.follow(frank, thread)
    User.objects.filter(pk=frank.pk).update(is_active=False)
    forum_actions.delete_thread(gone, carol)
    run_pending()
    mail.outbox.clear()
    return draft


def test_the_confirmation_counts_exactly_the_people_the_email_job_emails(bob_client, followed_world, bob):
    draft = followed_world
    audience = notifications.publish_audience(draft, bob.pk)
    assert sorted(p.email for p in audience.people) == [
        "alice@example.com",
        "dave@example.com",
        "erin@example.com",
    ]
    page = bob_client.get(confirm_url(draft)).content.decode()
    assert "This will email 3 people who follow the questions it resolves" in text(page)
    assert "Publish and email 3 people" in text(page)
    bob_client.post(confirm_url(draft), {"revision": shown_revision(page)})
    run_pending()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in audience.people)


def test_the_confirmation_leaves_out_people_already_told_about_the_article(bob_client, followed_world, bob):
    draft = followed_world
    alice = User.objects.get(email="alice@example.com")
    Notice.objects.create(  # e.g. before an archive
        user=alice, kind="articles", event_key=f"article:{draft.pk}", subject="s", body_text="b"
    )
    page = bob_client.get(confirm_url(draft)).content.decode()
    assert "This will email 2 people" in text(page)
    assert "1 person who follows them was already emailed about this article" in text(page)
    bob_client.post(confirm_url(draft), {"revision": shown_revision(page)})
    run_pending()
    assert len(mail.outbox) == 2


def test_the_confirmation_says_so_when_nobody_will_be_emailed(bob_client, bob, category):
    lone = actions.create_article(bob, "A fix nobody asked about", "", "Text of the lone article.", category)
    page = bob_client.get(confirm_url(lone)).content.decode()
    assert "Nobody will be emailed" in text(page) and "Publish and email" not in text(page)


def test_a_change_between_confirmation_and_publish_is_refused_and_nothing_is_lost(bob_client, draft):
    page = bob_client.get(confirm_url(draft)).content.decode()
    seen = shown_revision(page)
    mia = make_user("mia@example.com", "Mia", User.Role.STAFF)
    actions.save_article(
        draft,
        mia,
        title=draft.title,
        summary="Mia's newer summary",
        body=draft.body_md + "\n\nMia added a step.",
        category=draft.category,
        tags=draft.tags.names(),
    )
    response = bob_client.post(confirm_url(draft), {"revision": seen})
    assert response.status_code == 302 and response["Location"] == confirm_url(draft)
    draft.refresh_from_db()
    assert draft.status == "draft"  # nothing published
    assert list(Revision.objects.filter(article=draft).values_list("number", flat=True)) == [2, 1]
    assert draft.body_md.endswith("Mia added a step.")  # Mia's text is the article's, untouched
    page = bob_client.get(confirm_url(draft)).content.decode()
    assert "Mia saved a newer version (revision #2)" in page
    assert shown_revision(page) == "2" and "Mia added a step." in page
    bob_client.post(confirm_url(draft), {"revision": "2"})
    draft.refresh_from_db()
    assert draft.status == "published"


def test_publish_refuses_a_revision_that_is_no_longer_current(draft, bob):
    actions.save_article(
        draft,
        bob,
        title=draft.title,
        summary="",
        body=draft.body_md + "\n\nOne more tip.",
        category=draft.category,
        tags=draft.tags.names(),
    )
    with pytest.raises(InvalidAction, match="newer version"):
        actions.publish(draft, bob, revision=1)
    assert Article.objects.get(pk=draft.pk).status == "draft"
    assert actions.publish(draft, bob, revision=2) is True


def test_a_save_over_a_newer_revision_keeps_the_text_and_says_who_saved(bob_client, draft):
    form = edit_form(draft, body="Bob's careful edit that must not be lost.")
    mia = make_user("mia@example.com", "Mia", User.Role.STAFF)
    actions.save_article(
        draft,
        mia,
        title=draft.title,
        summary="",
        body=draft.body_md + "\n\nMia added a step.",
        category=draft.category,
        tags=draft.tags.names(),
    )
    response = bob_client.post(f"/kb/{draft.slug}/edit/", {**form, "then": "publish"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Mia saved a newer version (revision #2) while you were editing" in html
    assert "Bob&#x27;s careful edit that must not be lost." in html  # still in the form
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.body_md.endswith("Mia added a step.")
    # Saving again from that page overwrites on purpose (the form now knows revision 2).
    assert 'name="base_revision" value="2"' in html
    response = bob_client.post(f"/kb/{draft.slug}/edit/", {**form, "base_revision": "2"})
    draft.refresh_from_db()
    assert response.status_code == 302 and draft.body_md == "Bob's careful edit that must not be lost."


def test_a_new_article_can_be_saved_and_published_from_its_form(bob_client, category):
    response = bob_client.post(
        "/kb/new/",
        {
            "title": "Export a notebook to PDF",
            "summary": "",
            "body": "Choose *File → Export → PDF* and pick the notebook.",
            "category": category.pk,
            "tags": "",
            "then": "publish",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == confirm_url(article)
    assert article.status == "draft"


def test_the_confirmation_page_is_for_staff_only(client, alice_client, carol_client, article, bob):
    draft = actions.create_article(
        bob, "A draft nobody else sees", "", "Text of the draft article.", article.category
    )
    response = client.get(confirm_url(draft))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for other in (alice_client, carol_client):
        assert other.get(confirm_url(draft)).status_code == 404  # a draft does not exist for them
        assert other.get(confirm_url(article)).status_code == 403


def test_an_already_published_article_goes_back_to_its_page(bob_client, article):
    response = bob_client.get(confirm_url(article))
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize("followers", [2, 20])
def test_the_confirmation_page_queries_do_not_grow_with_followers(
    bob_client, draft, thread, followers, django_assert_num_queries
):
    for i in range(followers):
        forum_actions.follow(make_user(f"f{i}@example.com", f"Follower {i}"), thread)
    # session, user, article (+ category, author, revision), tags, sources with threads,
    # follows, people, already told, the revision's author
    with django_assert_num_queries(9):
        response = bob_client.get(confirm_url(draft))
    assert f"This will email {followers + 1} people" in text(response.content.decode())


def test_the_confirmation_page_has_headings_in_order(bob_client, draft):
    from tests.kb.test_page_headings import heading_problems

    assert heading_problems(bob_client.get(confirm_url(draft)).content.decode()) == []
