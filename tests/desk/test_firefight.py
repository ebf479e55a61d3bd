"""Repeated firefighting (issue 13, item 4; desk/firefight.py, docs/insights.md).

Near-identical staff replies on N threads (DESK_FIREFIGHT_MIN_THREADS, 3 here) that no
published article covers make a nudge on the desk of each member of staff who wrote one,
and a row on /desk/repeats/; "Promote" opens the article editor on a draft made from
the best reply with every thread linked, and publishing it ends the nudge."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from desk import firefight
from desk.models import RepeatGroup, RepeatReply
from desk.tasks import find_repeats
from duplicates.models import DuplicateLink
from forum import actions
from kb import actions as kb_actions
from kb.models import Article, ArticleSource
from tests.desk import firefight_pairs
from tests.desk.conftest import link, person

FIX = [text for label, text in firefight_pairs.HAND_MADE if label == "pdf-images"]
OTHER_FIXES = [
    text
    for label, text in firefight_pairs.HAND_MADE
    if label in {"pdf-fonts", "battery-location", "installer-disk", "sso-desktop"}
]
_seq = itertools.count(1)
NUDGE = "You&#x27;ve answered this 3 times — promote it to the knowledge base"


@pytest.fixture(autouse=True)
def _three(settings):
    settings.DESK_FIREFIGHT_MIN_THREADS = 3


def answered(area, staff, body: str, *, days_ago: float = 1, asker=None, title: str = ""):
    """A customer's question and `staff`'s reply to it; returns the reply."""
    n = next(_seq)
    thread = actions.create_thread(
        asker or person(),
        title or f"Exported PDF shows no images, case {n}",
        "The pictures are gone from the PDF I exported.",
        area,
        ["pdf"],
        created_at=timezone.now() - timedelta(days=days_ago, hours=2),
    )
    return actions.add_answer(thread, staff, body, created_at=timezone.now() - timedelta(days=days_ago))


def _desk(client) -> str:
    return client.get("/desk/").content.decode()


# --- when there is a nudge --------------------------------------------------------------------


def test_two_similar_replies_are_no_nudge_yet(bob, bob_client, category):
    for text in FIX[:2]:
        answered(category, bob, text)
    assert firefight.refresh() == 0
    assert 'class="card repeat-card' not in _desk(bob_client)


def test_three_similar_replies_nudge_the_staff_member_who_wrote_them(bob, bob_client, category):
    replies = [answered(category, bob, text, days_ago=d) for d, text in zip((9, 5, 2), FIX, strict=False)]
    assert find_repeats() == 1  # the beat task
    group = RepeatGroup.objects.get()
    assert group.thread_count == 3
    assert set(group.replies.values_list("post_id", flat=True)) == {p.pk for p in replies}
    html = _desk(bob_client)
    assert NUDGE in html
    for post in replies:
        assert post.thread.title in html
    assert reverse("desk:promote_repeat", args=[group.pk]) in html


def test_the_threshold_is_a_setting(bob, category, settings):
    for text in FIX[:3]:
        answered(category, bob, text)
    settings.DESK_FIREFIGHT_MIN_THREADS = 4
    assert firefight.refresh() == 0
    settings.DESK_FIREFIGHT_MIN_THREADS = 2
    assert firefight.refresh() == 1


def test_a_colleague_sees_the_team_list_but_no_nudge_of_their_own(bob, erin, category, client):
    for text in FIX[:3]:
        answered(category, bob, text)
    firefight.refresh()
    client.force_login(erin)
    assert 'class="card repeat-card' not in _desk(client)
    page = client.get("/desk/repeats/").content.decode()
    assert "Answered 3 times by Bob" in page


def test_replies_by_two_staff_count_together(bob, erin, category, client):
    answered(category, bob, FIX[0])
    answered(category, bob, FIX[1])
    answered(category, erin, FIX[2])
    assert firefight.refresh() == 1
    client.force_login(erin)
    assert "The team has answered this 3 times (1 by you)" in _desk(client)


def test_customer_replies_do_not_count(bob, dave, category):
    answered(category, bob, FIX[0])
    answered(category, bob, FIX[1])
    answered(category, dave, FIX[2])  # a customer who copied the fix
    assert firefight.refresh() == 0


def test_dissimilar_staff_replies_do_not_group(bob, category):
    for text in OTHER_FIXES:  # the same product areas and words, other fixes
        answered(category, bob, text)
    assert firefight.refresh() == 0


def test_two_replies_on_one_thread_count_once(bob, category):
    first = answered(category, bob, FIX[0])
    actions.add_answer(first.thread, bob, FIX[1])
    answered(category, bob, FIX[2])
    assert firefight.refresh() == 0  # 2 threads


def test_short_replies_are_never_a_repeat(bob, category):
    for _ in range(4):
        answered(category, bob, "Fixed in 4.3, thanks!")
    assert firefight.refresh() == 0


def test_old_replies_are_history(bob, category):
    answered(category, bob, FIX[0], days_ago=firefight.WINDOW.days + 1)
    answered(category, bob, FIX[1])
    answered(category, bob, FIX[2])
    assert firefight.refresh() == 0


# --- covered by an article ------------------------------------------------------------------------


def _article_on(post, by, *, publish=True) -> Article:
    article = kb_actions.promote(post, by)
    if publish:
        kb_actions.publish(article, by)
    return article


def test_a_published_article_on_one_of_the_threads_leaves_too_few(bob, bob_client, category):
    replies = [answered(category, bob, text) for text in FIX[:3]]
    assert firefight.refresh() == 1
    _article_on(replies[0], bob)
    assert firefight.refresh() == 0
    assert not RepeatGroup.objects.exists()
    assert 'class="card repeat-card' not in _desk(bob_client)


def test_a_draft_article_covers_nothing(bob, category):
    replies = [answered(category, bob, text) for text in FIX[:3]]
    _article_on(replies[0], bob, publish=False)
    assert firefight.refresh() == 1


def test_a_thread_in_the_cluster_of_a_covered_thread_is_covered(bob, category):
    replies = [answered(category, bob, text) for text in FIX[:3]]
    elsewhere = answered(category, bob, "## Fix\n\n" + FIX[3], title="Images vanish from my exported PDF")
    _article_on(elsewhere, bob)
    assert firefight.refresh() == 1  # the article's own thread is left out; the three are not covered
    link(elsewhere.thread, replies[0].thread, bob)
    assert DuplicateLink.objects.filter(state="confirmed").count() == 1
    assert firefight.refresh() == 0


# --- promote ----------------------------------------------------------------------------------------


def test_the_best_reply_is_accepted_then_official_then_helpful_then_newest():
    at = timezone.now()

    def reply(pk, *, accepted=False, official=False, helpful=0, age=0):
        return firefight.Reply(pk, pk, 1, at - timedelta(days=age), helpful, official, accepted, "", "")

    replies = [
        reply(1, helpful=9),
        reply(2, official=True, age=3),
        reply(3, accepted=True, age=5),
        reply(4, helpful=9, age=1),
        reply(5),
    ]
    assert [r.post_id for r in sorted(replies, key=firefight.rank)] == [3, 2, 1, 4, 5]


def test_promote_prefills_the_article_from_the_best_reply_and_links_every_thread(bob, bob_client, category):
    replies = [answered(category, bob, text, days_ago=d) for d, text in zip((9, 5, 2), FIX, strict=False)]
    best = replies[1]  # accepted by its asker, though neither the newest nor the first
    actions.accept_solution(best.thread, best, best.thread.author)
    firefight.refresh()
    group = RepeatGroup.objects.get()
    assert group.best_post_id == best.pk

    response = bob_client.post(reverse("desk:promote_repeat", args=[group.pk]))
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("kb:edit", args=[article.slug])
    assert article.status == Article.Status.DRAFT
    assert article.title == best.thread.title
    assert article.body_md.startswith(
        "Blank images in an exported PDF come from"
    )  # "Hello Nora, sorry…" left out
    assert set(ArticleSource.objects.filter(article=article).values_list("thread_id", flat=True)) == {
        p.thread_id for p in replies
    }
    assert ArticleSource.objects.get(article=article, thread=best.thread).post_id == best.pk
    form = bob_client.get(response["Location"]).content.decode()
    assert "Blank images in an exported PDF come from" in form and best.thread.title in form
    group.refresh_from_db()
    assert group.article == article
    assert "Continue the draft" in _desk(bob_client)
    # Promoting again opens the same draft.
    bob_client.post(reverse("desk:promote_repeat", args=[group.pk]))
    assert Article.objects.count() == 1

    kb_actions.publish(article, bob)
    assert 'class="card repeat-card' not in _desk(bob_client)  # at once, before the next run
    assert firefight.refresh() == 0


def test_not_a_repeat_hides_the_group_for_good(bob, bob_client, category):
    for text in FIX[:3]:
        answered(category, bob, text)
    firefight.refresh()
    group = RepeatGroup.objects.get()
    response = bob_client.post(reverse("desk:dismiss_repeat", args=[group.pk]), {"next": "/desk/"})
    assert response.status_code == 302 and response["Location"] == "/desk/"
    assert 'class="card repeat-card' not in _desk(bob_client)
    answered(category, bob, FIX[3])  # it grows: still the same group, still dismissed
    assert firefight.refresh() == 1
    again = RepeatGroup.objects.get()
    assert again.pk == group.pk and again.thread_count == 4 and again.dismissed_by == bob
    page = bob_client.get("/desk/repeats/").content.decode()
    assert "Marked “not a repeat”" in page and "dismissed by Bob" in page


def test_the_job_is_idempotent_and_keeps_group_ids(bob, category):
    for text in FIX[:3]:
        answered(category, bob, text)
    firefight.refresh()
    before = list(RepeatReply.objects.order_by("post_id").values_list("group_id", "post_id", "similarity"))
    assert firefight.refresh() == 1
    after = list(RepeatReply.objects.order_by("post_id").values_list("group_id", "post_id", "similarity"))
    assert before == after


def test_the_job_is_on_the_beat_schedule_every_15_minutes():
    entry = celery_app.conf.beat_schedule["desk-find-repeats"]
    assert entry == {"task": "desk.tasks.find_repeats", "schedule": 900.0}


# --- who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["client", "alice_client", "carol_client"])
def test_only_staff_see_promote_or_dismiss(request, who, bob, category):
    for text in FIX[:3]:
        answered(category, bob, text)
    firefight.refresh()
    group = RepeatGroup.objects.get()
    viewer = request.getfixturevalue(who)
    assert viewer.get("/desk/repeats/").status_code == 404
    assert viewer.post(reverse("desk:promote_repeat", args=[group.pk])).status_code == 404
    assert viewer.post(reverse("desk:dismiss_repeat", args=[group.pk])).status_code == 404
    group.refresh_from_db()
    assert group.dismissed_at is None and group.article is None and not Article.objects.exists()


def test_staff_may_promote_and_dismiss(bob_client, bob, category):
    for text in FIX[:3]:
        answered(category, bob, text)
    firefight.refresh()
    group = RepeatGroup.objects.get()
    assert bob_client.get("/desk/repeats/").status_code == 200
    assert bob_client.post(reverse("desk:promote_repeat", args=[group.pk])).status_code == 302
    assert bob_client.post(reverse("desk:dismiss_repeat", args=[group.pk])).status_code == 302
    group.refresh_from_db()
    assert group.dismissed_by == bob and group.article is not None


def test_a_group_that_is_gone_is_404(bob_client):
    assert bob_client.post(reverse("desk:promote_repeat", args=[999])).status_code == 404


# --- query counts ----------------------------------------------------------------------------------


def _groups(area, staff, n: int) -> None:
    """n groups of 3 similar replies each, every group a fix in words of its own (so the
    groups never join), each reply with its own greeting and the steps in its own order."""
    greetings = [
        "Hi there, thanks for the report!",
        "Hello, sorry for the trouble.",
        "Thanks for reaching out.",
    ]
    for g in range(n):
        steps = [f"open panel{g}", f"choose option{g}", f"switch toggle{g} off", f"restart module{g}"]
        for r, greeting in enumerate(greetings):
            order = steps[r:] + steps[:r]
            answered(area, staff, f"{greeting} " + ", then ".join(order) + f"; widget{g} works again.")


@pytest.mark.parametrize("n", [1, 4])
def test_the_desk_reads_the_nudges_in_a_fixed_number_of_queries(
    bob_client, bob, category, n, django_assert_num_queries
):
    _groups(category, bob, n)
    assert firefight.refresh() == n
    # The empty queue's 7 (session, user, the rows with their count, open claims, open spike
    # alerts ...: tests/desk/test_queue.py), then the groups, their replies with threads and authors.
    with django_assert_num_queries(9):
        response = bob_client.get("/desk/")
    assert response.content.decode().count('class="card repeat-card') == min(n, firefight.PANEL_GROUPS)


@pytest.mark.parametrize("n", [1, 4])
def test_the_team_list_reads_in_a_fixed_number_of_queries(
    bob_client, bob, category, n, django_assert_num_queries
):
    _groups(category, bob, n)
    firefight.refresh()
    RepeatGroup.objects.filter(pk=RepeatGroup.objects.order_by("pk")[0].pk).update(
        dismissed_at=timezone.now(), dismissed_by=bob
    )
    # session, user, the groups (with article and who dismissed), their replies
    with django_assert_num_queries(4):
        response = bob_client.get("/desk/repeats/")
    assert response.content.decode().count('class="card repeat-card') == n


# --- the cut -----------------------------------------------------------------------------------------


def test_the_cut_separates_the_labelled_pairs():
    """docs/insights.md: on tests/desk/firefight_pairs.py the chosen cut has precision and
    recall 1.0, with a margin on both sides (bench/firefight_threshold.py prints the table)."""
    texts = [t for _, t in firefight_pairs.replies()]
    long_enough = [sum(firefight.reply_terms(t).values()) >= firefight.MIN_TERMS for t in texts]
    matrix = firefight.similarities(texts)
    same = [matrix[i][j] for i, j, s in firefight_pairs.pairs() if s and long_enough[i] and long_enough[j]]
    different = [
        matrix[i][j] for i, j, s in firefight_pairs.pairs() if not s and long_enough[i] and long_enough[j]
    ]
    assert len(same) == sum(1 for *_, s in firefight_pairs.pairs() if s)  # every positive is long enough
    assert max(different) < firefight.MIN_SIMILARITY - 0.05
    assert min(same) > firefight.MIN_SIMILARITY + 0.05
