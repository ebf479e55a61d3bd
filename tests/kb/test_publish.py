"""Publishing: followers of the source threads are emailed once (after commit, never the
publisher), a fix is recorded per source thread, and search sees it at once."""

from django.core import mail

from forum import actions as forum_actions
from jobs.models import PendingJob
from kb import actions
from kb.models import Article
from search import query
from search.models import SearchEntry
from tests.conftest import make_user
from tests.jobs_helpers import run_pending


def test_publish_emails_each_source_follower_once_and_never_the_publisher(
    draft, thread, alice, bob, dave, carol, category
):
    forum_actions.me_too(dave, thread)  # dave follows too
    forum_actions.follow(bob, thread)  # the publisher follows: still no email for him
    second = forum_actions.create_thread(
        alice, "Sync stopped on my phone too", "Same as the other one.", category
    )
    forum_actions.follow(carol, second)
    actions.link_thread(draft, second, bob)
    run_pending()  # the forum's own notifications (answers, me-too) are not what this test is about
    mail.outbox.clear()
    actions.publish(draft, bob)
    run_pending()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.com",
        "carol@example.com",
        "dave@example.com",
    ]
    message = mail.outbox[0]
    assert message.subject == f"New help article: {draft.title}"
    assert f"/kb/{draft.slug}/" in message.body and "/questions/unsubscribe/" in message.body
    assert message.alternatives and "Read the article" in message.alternatives[0][0]
    # Archive and publish again, link one more thread: nobody hears twice.
    actions.archive(draft, bob)
    actions.publish(draft, bob)
    third = forum_actions.create_thread(
        alice, "Third question about syncing", "Same problem again here.", category
    )
    actions.link_thread(draft, third, bob)
    run_pending()
    assert len(mail.outbox) == 3


def test_linking_a_thread_to_a_published_article_tells_its_new_followers(article, bob, category):
    erin = make_user("erin@example.com", "Erin")
    other = forum_actions.create_thread(
        erin, "Notes will not sync at all", "Nothing syncs since Monday.", category
    )
    run_pending()
    mail.outbox.clear()
    actions.link_thread(article, other, bob)
    run_pending()
    assert [m.to[0] for m in mail.outbox] == ["erin@example.com"]


def test_publish_job_is_queued_in_the_transaction_and_sent_after_commit(
    draft, bob, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("jobs.tasks.run_job.apply_async", lambda args, **options: sent.append(args[0]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.publish(draft, bob)
    job = PendingJob.objects.get(kind="kb_published")
    assert job.payload == {"article_id": draft.pk, "actor_id": bob.pk}
    assert sent == []
    for callback in callbacks:
        callback()
    assert job.pk in sent


def test_publish_records_a_fix_for_each_source_thread(draft, thread, staff_answer, bob, monkeypatch):
    received = []
    monkeypatch.setattr(
        "duplicates.fixes.record_fix", lambda *args, **kwargs: received.append((args, kwargs))
    )
    assert actions.publish(draft, bob) is True
    assert actions.publish(draft, bob) is False  # already published: nothing recorded again
    assert len(received) == 1
    (fixed_thread, post, actor, kind), kwargs = received[0]
    assert (kind, fixed_thread, post, actor) == ("article", thread, staff_answer, bob)
    assert kwargs["article"].pk == draft.pk


def test_publish_view_publishes_and_redirects_to_the_article(bob_client, draft):
    # The revision the confirmation showed (tests/kb/test_publish_flow.py: without it, nothing).
    response = bob_client.post(f"/kb/{draft.slug}/publish/", {"revision": "1"})
    draft.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert draft.status == "published" and draft.published_at is not None


def test_search_finds_a_published_article_and_not_a_draft(draft, bob, alice):
    entry = SearchEntry.objects.get(kind="article", object_id=draft.pk)
    assert not entry.is_public
    assert query("stalled upload", kinds=["article"], user=alice).hits == []
    assert [h.object_id for h in query("stalled upload", kinds=["article"], user=bob).hits] == [draft.pk]
    actions.publish(draft, bob)
    entry.refresh_from_db()
    assert entry.is_public and entry.solved and entry.boost == 2.5
    hits = query("stalled upload", user=alice).hits
    assert [(h.kind, h.object_id) for h in hits if h.kind == "article"] == [("article", draft.pk)]
    actions.archive(draft, bob)
    assert [h for h in query("stalled upload", user=alice).hits if h.kind == "article"] == []


def test_search_page_shows_articles_with_their_badge(client, article):
    html = client.get("/search/?q=stalled+upload").content.decode()
    assert '<span class="badge badge-official">Article</span>' in html
    assert f'href="/kb/{article.slug}/"' in html
    assert "Articles" in html  # the type facet


def test_rebuild_lists_every_article(article, bob, category):
    from kb.indexing import iter_documents

    actions.create_article(bob, "A draft in the rebuild", "", "Draft text for the rebuild.", category)
    docs = list(iter_documents())
    assert [(d.is_public, d.title) for d in docs] == [
        (True, article.title),
        (False, "A draft in the rebuild"),
    ]
    assert Article.objects.count() == 2
