"""Evidence that an article is not working (issue 13, item 5; kb/health.py).

Each of the three reasons on both sides of its cut: questions joining the article's
cluster since its current text went public, its helpful share over its last votes, and
time since its last review. An edit that publishes a new revision clears the flag;
"Reviewed, still right" clears the time reason only. The flag and its evidence are
stored facts, kept by the actions and the beat job, shown to staff on the article page,
on /desk/articles/ and in /kb/unhelpful/, never to visitors or customers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from config.celery import app as celery_app
from duplicates import clusters
from duplicates.models import DuplicateLink
from forum import actions as forum_actions
from kb import actions, health
from kb.evidence import describe
from kb.models import Article
from kb.tasks import review_articles
from tests.kb.conftest import STAFF_FIX

DAY = timedelta(days=1)


def _article(bob, thread, *, published_days_ago: float = 10) -> Article:
    """bob's answer on `thread`, promoted and published `published_days_ago` days ago."""
    answer = forum_actions.add_answer(thread, bob, STAFF_FIX)
    article = actions.promote(answer, bob)
    actions.publish(article, bob, now=timezone.now() - published_days_ago * DAY)
    article.refresh_from_db()
    return article


def _ask(alice, category, n: int, *, days_ago: float = 0):
    return forum_actions.create_thread(
        alice,
        f"Sync stopped again on my machine, case {n}",
        f"Nothing uploads since this morning, case number {n}.",
        category,
        created_at=timezone.now() - days_ago * DAY,
    )


def _join(thread, others, bob) -> None:
    for other in others:
        clusters.link_manually(thread, other, bob)


def _vote(article, helpful: int, unhelpful: int, prefix: str = "v") -> None:
    for i in range(unhelpful):
        actions.vote(article, f"v:{prefix}-no-{i}", False)
    for i in range(helpful):
        actions.vote(article, f"v:{prefix}-yes-{i}", True)


def _fresh(article) -> Article:
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def thread(alice, category):
    """The question the article is promoted from, asked a month ago (before it was published)."""
    return _ask(alice, category, 100, days_ago=30)


# --- (a) questions keep joining its cluster -----------------------------------------------


def test_two_new_questions_in_its_cluster_do_not_flag_it(alice, bob, thread, category):
    article = _article(bob, thread)
    _join(thread, [_ask(alice, category, n) for n in range(2)], bob)
    assert not _fresh(article).needs_review


def test_the_third_new_question_joining_its_cluster_flags_it_with_the_evidence(alice, bob, thread, category):
    article = _article(bob, thread)
    _join(thread, [_ask(alice, category, n) for n in range(3)], bob)  # the link decision recomputes
    article = _fresh(article)
    assert article.needs_review
    published = timezone.localtime(article.live_since).strftime("%-d %b %Y")
    assert article.review_evidence == [f"3 threads joined its cluster since it was published on {published}"]
    cluster = thread.cluster_membership.cluster
    assert article.review_cluster_url == cluster.get_absolute_url()


def test_questions_asked_before_it_was_published_are_not_evidence(alice, bob, thread, category):
    old = [_ask(alice, category, n, days_ago=20) for n in range(4)]  # after the source, before the article
    article = _article(bob, thread, published_days_ago=10)
    _join(thread, old, bob)
    assert not _fresh(article).needs_review


def test_questions_linked_to_the_article_count_and_deleted_ones_do_not(alice, bob, carol, thread, category):
    article = _article(bob, thread)
    asked = [_ask(alice, category, n) for n in range(3)]
    for other in asked:
        actions.link_thread(article, other, bob)
    assert _fresh(article).review_reasons[0]["count"] == 3
    forum_actions.delete_thread(asked[0], carol)  # no hook for that: the beat job notices
    health.recompute_all()
    assert not _fresh(article).needs_review


def test_a_split_cluster_takes_the_flag_away(alice, bob, thread, category):
    article = _article(bob, thread)
    middle = _ask(alice, category, 0)
    _join(thread, [middle], bob)
    _join(middle, [_ask(alice, category, n) for n in (1, 2)], bob)
    assert _fresh(article).needs_review
    link = DuplicateLink.objects.involving(thread.pk).get()
    clusters.unconfirm_link(link.pk, bob)  # the two later ones leave with `middle`
    assert not _fresh(article).needs_review


def test_the_cut_is_a_setting(alice, bob, thread, category, settings):
    settings.KB_REVIEW_NEW_THREADS = 1
    article = _article(bob, thread)
    _join(thread, [_ask(alice, category, 0)], bob)
    assert _fresh(article).review_evidence[0].startswith("1 thread joined its cluster since")


# --- (b) its helpful share over its last votes --------------------------------------------


def test_nineteen_unhelpful_votes_are_not_enough_to_judge(bob, thread):
    article = _article(bob, thread)
    _vote(article, helpful=0, unhelpful=19)
    assert not _fresh(article).needs_review


def test_under_half_helpful_over_the_last_twenty_votes_flags_it(bob, thread):
    article = _article(bob, thread)
    _vote(article, helpful=9, unhelpful=11)
    article = _fresh(article)
    assert article.needs_review
    assert article.review_evidence == ["helpful 9 of last 20 votes (45 %)"]


def test_exactly_half_helpful_is_not_below_the_cut(bob, thread):
    article = _article(bob, thread)
    _vote(article, helpful=10, unhelpful=10)
    assert not _fresh(article).needs_review


def test_only_the_last_votes_count(bob, thread):
    article = _article(bob, thread)
    _vote(article, helpful=0, unhelpful=20, prefix="early")
    assert _fresh(article).needs_review
    _vote(article, helpful=10, unhelpful=0, prefix="late")  # last 20: 10 yes, 10 no
    assert not _fresh(article).needs_review


def test_vote_count_and_share_are_settings(bob, thread, settings):
    settings.KB_REVIEW_VOTES = 4
    settings.KB_REVIEW_HELPFUL_PERCENT = 80
    article = _article(bob, thread)
    _vote(article, helpful=3, unhelpful=1)  # 75 % < 80 %
    assert _fresh(article).review_evidence == ["helpful 3 of last 4 votes (75 %)"]


# --- (c) not reviewed for a long time ------------------------------------------------------


def test_not_reviewed_for_179_days_is_not_flagged_and_180_is(bob, thread, category, alice):
    fresh = _article(bob, thread, published_days_ago=179)
    other_thread = _ask(alice, category, 9, days_ago=400)
    stale = _article(bob, other_thread, published_days_ago=180)
    assert health.recompute_all() == 1
    assert not _fresh(fresh).needs_review
    stale = _fresh(stale)
    assert stale.needs_review
    day = timezone.localtime(stale.reviewed_at).strftime("%-d %b %Y")
    assert stale.review_evidence == [f"not reviewed since {day}"]


def test_the_beat_job_is_on_the_one_schedule_and_idempotent(bob, thread):
    article = _article(bob, thread, published_days_ago=200)
    schedule = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "kb.tasks.review_articles" in schedule
    assert review_articles() == 1
    first = _fresh(article)
    assert review_articles() == 1
    again = _fresh(article)
    assert (again.review_reasons, again.review_flagged_at) == (first.review_reasons, first.review_flagged_at)


def test_reviewed_still_right_clears_the_time_reason_only_and_is_audited(bob, thread):
    article = _article(bob, thread, published_days_ago=200)
    _vote(article, helpful=2, unhelpful=18)
    article = _fresh(article)
    assert [r["kind"] for r in article.review_reasons] == ["votes", "stale"]
    assert actions.mark_reviewed(article, bob)
    article = _fresh(article)
    assert [r["kind"] for r in article.review_reasons] == ["votes"]  # readers still say no
    assert AuditEntry.objects.filter(action="article.review", target_id=article.pk, actor=bob).count() == 1
    health.recompute_all()
    assert [r["kind"] for r in _fresh(article).review_reasons] == ["votes"]


def test_reviewed_clears_the_flag_when_time_was_the_only_reason(bob, thread):
    article = _article(bob, thread, published_days_ago=365)
    health.recompute_all()
    actions.mark_reviewed(_fresh(article), bob)
    article = _fresh(article)
    assert not article.needs_review and article.review_reasons == [] and article.review_flagged_at is None


def test_only_published_articles_can_be_reviewed(bob, draft):
    from forum.errors import InvalidAction

    with pytest.raises(InvalidAction):
        actions.mark_reviewed(draft, bob)


# --- a new revision clears; archived is off the lists -------------------------------------


def test_an_edit_that_publishes_a_new_revision_clears_every_reason(alice, bob, thread, category):
    article = _article(bob, thread, published_days_ago=200)
    _join(thread, [_ask(alice, category, n) for n in range(3)], bob)
    _vote(article, helpful=0, unhelpful=20)
    health.recompute_all()
    article = _fresh(article)
    assert [r["kind"] for r in article.review_reasons] == ["threads", "votes", "stale"]
    actions.save_article(
        article,
        bob,
        title=article.title,
        summary="Skip the stalled upload, then update.",
        body=article.body_md + "\n\nOn a phone, pull down to sync again.",
        category=article.category,
        tags=article.tags.names(),
    )
    article = _fresh(article)
    assert not article.needs_review and article.review_evidence == []
    assert article.live_since == article.reviewed_at == article.updated_at
    health.recompute_all()  # the old questions and votes stay before the new text
    assert not _fresh(article).needs_review


def test_publishing_again_after_an_archive_clears_it(bob, thread):
    article = _article(bob, thread)
    _vote(article, helpful=0, unhelpful=20)
    actions.archive(_fresh(article), bob)
    assert not _fresh(article).needs_review
    actions.publish(_fresh(article), bob)
    assert not _fresh(article).needs_review


def test_a_draft_edit_does_not_start_the_clocks(bob, draft):
    actions.save_article(
        draft, bob, title=draft.title, summary="A summary.", body=draft.body_md,
        category=draft.category, tags=draft.tags.names(),
    )  # fmt: skip
    draft = _fresh(draft)
    assert draft.live_since is None and not draft.needs_review


def test_describe_words_each_reason():
    assert describe({"kind": "votes", "helpful": 6, "of": 20}) == "helpful 6 of last 20 votes (30 %)"
    assert describe({"kind": "threads", "count": 5, "since": "2026-11-03T10:00:00+00:00"}) == (
        "5 threads joined its cluster since it was published on 3 Nov 2026"
    )
    assert (
        describe({"kind": "stale", "since": "2026-03-02T10:00:00+00:00"}) == "not reviewed since 2 Mar 2026"
    )


# --- who sees it ----------------------------------------------------------------------------


@pytest.fixture
def flagged(bob, thread):
    article = _article(bob, thread, published_days_ago=200)
    _vote(article, helpful=6, unhelpful=14)
    return _fresh(article)


@pytest.mark.parametrize("who", ["client", "alice_client", "carol_client"])
def test_visitors_customers_and_moderators_never_see_the_flag(request, who, flagged):
    html = request.getfixturevalue(who).get(flagged.get_absolute_url()).content.decode()
    assert "Needs review" not in html and "helpful 6 of last 20" not in html.lower()


def test_staff_see_the_flag_and_evidence_on_the_article_page(bob_client, flagged):
    html = bob_client.get(flagged.get_absolute_url()).content.decode()
    assert "Needs review" in html
    assert "Helpful 6 of last 20 votes (30 %)" in html
    assert "Not reviewed since" in html
    assert "Reviewed, still right" in html


def test_flagged_articles_are_listed_on_the_desk_and_in_the_unhelpful_report(bob_client, flagged):
    for url in ("/desk/articles/", "/kb/unhelpful/"):
        html = bob_client.get(url).content.decode()
        assert flagged.title in html and "Helpful 6 of last 20 votes (30 %)" in html, url
    assert "Articles to review" in bob_client.get("/desk/").content.decode()


def test_the_desk_list_says_so_when_nothing_needs_review(bob_client, bob, thread):
    _article(bob, thread)
    assert "No article needs review" in bob_client.get("/desk/articles/").content.decode()


@pytest.mark.parametrize(("who", "status"), [("alice_client", 404), ("carol_client", 404), ("client", 404)])
def test_only_staff_open_the_desk_list(request, who, status, flagged):
    assert request.getfixturevalue(who).get("/desk/articles/").status_code == status


def test_staff_mark_reviewed_and_come_back(bob_client, flagged):
    url = f"/kb/{flagged.slug}/reviewed/"
    response = bob_client.post(url, {"next": "/desk/articles/"})
    assert response.status_code == 302 and response["Location"] == "/desk/articles/"
    assert [r["kind"] for r in _fresh(flagged).review_reasons] == ["votes"]
    assert bob_client.get(url).status_code == 405


@pytest.mark.parametrize(("who", "status"), [("alice_client", 403), ("carol_client", 403), ("client", 302)])
def test_others_may_not_mark_reviewed(request, who, status, flagged):
    response = request.getfixturevalue(who).post(f"/kb/{flagged.slug}/reviewed/")
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"]
    assert _fresh(flagged).reviewed_at == flagged.reviewed_at
    assert not AuditEntry.objects.filter(action="article.review").exists()


# --- query counts at two sizes -------------------------------------------------------------


def _flag_many(bob, category, n: int) -> None:
    long_ago = timezone.now() - 400 * DAY
    for i in range(n):
        article = actions.create_article(
            bob, f"How to fix problem number {i}", "", f"## Step\n\nDo thing {i}.", category, ["sync"]
        )
        actions.publish(article, bob, now=long_ago)
    assert health.recompute_all() == n


@pytest.mark.parametrize("n", [3, 30])
def test_the_desk_list_queries_are_fixed(bob_client, bob, category, n, django_assert_num_queries):
    _flag_many(bob, category, n)
    with django_assert_num_queries(3):  # session, user, the flagged articles with their category
        response = bob_client.get("/desk/articles/")
    assert len(response.context["articles"]) == n


@pytest.mark.parametrize("n", [3, 30])
def test_the_unhelpful_report_with_flagged_articles_queries_are_fixed(
    bob_client, bob, category, n, django_assert_num_queries
):
    _flag_many(bob, category, n)
    for article in Article.objects.all():
        actions.vote(article, f"v:{article.pk}", False)
        actions.add_vote_reason(article, f"v:{article.pk}", "Step two does not exist")
    with django_assert_num_queries(5):  # session, user, flagged, articles with "No" votes, reasons
        response = bob_client.get("/kb/unhelpful/")
    assert len(response.context["flagged"]) == n


@pytest.mark.parametrize("n", [3, 30])
def test_the_flag_costs_the_article_page_no_query(bob_client, bob, category, n, django_assert_num_queries):
    _flag_many(bob, category, n)
    article = Article.objects.order_by("pk").first()
    bob_client.post(f"/kb/{article.slug}/vote/", {"helpful": "yes"})
    # tests/kb/test_queries.py pins 9 for staff on an article with linked questions; this one
    # has none, so no "people helped" query: 8, flagged or not.
    with django_assert_num_queries(8):
        response = bob_client.get(article.get_absolute_url())
    assert "Needs review" in response.content.decode()
