"""Promotion: staff turn a staff/official/accepted answer into a draft that keeps its
attribution and its link to the thread; the thread page offers it to staff only."""

import pytest

from forum import actions as forum_actions
from forum.errors import InvalidAction, NotAllowed
from kb import actions
from kb.models import Article, ArticleSource, Revision


def test_promotion_prefills_the_draft_and_keeps_attribution_and_source(draft, thread, staff_answer, bob):
    assert draft.status == Article.Status.DRAFT
    assert draft.title == thread.title
    assert draft.body_md == staff_answer.body_md
    assert draft.category == thread.category
    assert sorted(draft.tags.names()) == ["sync", "windows"]
    source = ArticleSource.objects.get(article=draft)
    assert (source.thread, source.post) == (thread, staff_answer)
    revision = Revision.objects.get(article=draft)
    assert revision.number == 1 and draft.current_revision == revision
    assert "Bob" in revision.comment


def test_published_article_shows_the_attribution_and_links_the_thread(client, article, thread, staff_answer):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Based on an answer by" in html
    assert f'href="{thread.get_absolute_url()}#post-{staff_answer.pk}"' in html
    assert ">Bob</a>" in html


def test_customers_cannot_promote(staff_answer, alice):
    with pytest.raises(NotAllowed):
        actions.promote(staff_answer, alice)
    assert not Article.objects.exists()


def test_a_customer_answer_that_is_neither_official_nor_accepted_cannot_be_promoted(thread, dave, bob):
    post = forum_actions.add_answer(thread, dave, "Reboot, maybe?")
    with pytest.raises(InvalidAction):
        actions.promote(post, bob)
    forum_actions.mark_official(post, bob)
    post.refresh_from_db()
    assert actions.promote(post, bob).status == "draft"


def test_an_accepted_customer_answer_can_be_promoted(thread, dave, alice, bob):
    post = forum_actions.add_answer(thread, dave, "Clear the sync cache in Settings.")
    forum_actions.accept_solution(thread, post, alice)
    article = actions.promote(post, bob)
    assert article.sources.get().post == post


def test_promoting_twice_returns_the_same_draft(draft, staff_answer, bob):
    assert actions.promote(staff_answer, bob) == draft
    assert Article.objects.count() == 1


def test_promote_view_staff_creates_draft_and_goes_to_the_editor(bob_client, staff_answer):
    response = bob_client.post(f"/kb/promote/{staff_answer.pk}/")
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kb/{article.slug}/edit/"


def test_promote_view_refuses_customers_and_sends_visitors_to_sign_in(client, alice_client, staff_answer):
    assert alice_client.post(f"/kb/promote/{staff_answer.pk}/").status_code == 403
    response = client.post(f"/kb/promote/{staff_answer.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Article.objects.exists()


def test_thread_page_offers_promotion_to_staff_only_on_eligible_answers(
    client, alice_client, bob_client, thread, staff_answer, dave
):
    forum_actions.add_answer(thread, dave, "A community guess")
    staff_html = bob_client.get(thread.get_absolute_url()).content.decode()
    assert staff_html.count("Promote to knowledge base") == 1
    assert f'action="/kb/promote/{staff_answer.pk}/"' in staff_html
    for other in (client, alice_client):
        assert "Promote to knowledge base" not in other.get(thread.get_absolute_url()).content.decode()


def test_after_promotion_the_answer_links_to_its_article_instead(bob_client, draft, thread):
    html = bob_client.get(thread.get_absolute_url()).content.decode()
    assert "Promote to knowledge base" not in html
    assert f'href="/kb/{draft.slug}/edit/"' in html


def test_promote_tool_costs_one_query_for_staff_and_none_for_others(
    rf, thread, staff_answer, bob, alice, dave
):
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forum.queries import thread_page
    from kb.panels import promote_tools

    for i in range(5):
        forum_actions.add_answer(thread, bob, f"Staff answer {i}")
    request = rf.get("/")
    for user, expected_queries, expected_tools in ((bob, 1, 6), (alice, 0, 0), (AnonymousUser(), 0, 0)):
        request.user = user
        posts = [*thread_page(thread, user).pinned, *thread_page(thread, user).others]
        with CaptureQueriesContext(connection) as queries:
            tools = promote_tools(request, thread, posts)
        assert (len(queries), len(tools)) == (expected_queries, expected_tools)
