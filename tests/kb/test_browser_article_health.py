"""Articles that are not working, in Chromium (issue 13, item 5): staff open the desk's
"Articles to review" and see each flagged article with its evidence in plain words,
open one and see the same on the article page, press "Reviewed, still right" on the one
that was only old and it leaves the list; the not-helpful report lists them too; a
visitor opens the same article and sees no flag. Screenshots at 1280 and 360 px:
desk-articles-*, article-flagged-*, unhelpful-flagged-* in the test's artifacts dir."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from duplicates import clusters
from forum import actions as forum_actions
from forum.models import Category
from kb import actions, health
from kb.models import Article
from tests.browser import both_widths, sign_in
from tests.desk.conftest import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIX = (
    "## Skip the stalled upload\n\nOpen *Settings → Sync* and choose **Skip**.\n\n"
    "## Update to 4.2.1\n\nThe update fixes the cause.\n\n## If it still fails\n\nSign out and in again."
)


def _published(staff, category, title: str, days_ago: float) -> tuple[Article, object]:
    now = timezone.now()
    thread = forum_actions.create_thread(
        person(), title, "It stopped working after the update.", category,
        created_at=now - timedelta(days=days_ago + 2),
    )  # fmt: skip
    answer = forum_actions.add_answer(thread, staff, FIX, created_at=now - timedelta(days=days_ago + 1))
    article = actions.promote(answer, staff)
    actions.publish(article, staff, now=now - timedelta(days=days_ago))
    return article, thread


def _votes(article, yes: int, no: int) -> None:
    for i in range(no):
        key = f"v:{article.pk}-no-{i}"
        actions.vote(article, key, False)
        if i < 2:
            actions.add_vote_reason(article, key, ["Skip is not in my settings", "Still stuck on 4.2.0"][i])
    for i in range(yes):
        actions.vote(article, f"v:{article.pk}-yes-{i}", True)


def _flagged_world(staff) -> dict[str, Article]:
    sync = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    billing = Category.objects.create(name="Billing", slug="billing", position=2)
    growing, thread = _published(staff, sync, "Notes stop syncing after updating to 4.2", 12)
    for n in range(5):
        joined = forum_actions.create_thread(
            person(), f"Sync stuck at 'uploading' since yesterday ({n})", "Nothing uploads.", sync
        )
        clusters.link_manually(thread, joined, staff)
    _votes(growing, yes=6, no=14)
    old, _ = _published(staff, billing, "Change the card your plan is billed to", 200)
    fine, _ = _published(staff, billing, "Download an invoice for your team plan", 30)
    _votes(fine, yes=18, no=2)
    health.recompute_all()
    return {"growing": growing, "old": old, "fine": fine}


def test_staff_see_articles_that_are_not_working_and_visitors_do_not(
    browser, live_server, artifacts_dir, bob, page
):
    world = _flagged_world(bob)
    growing, old, fine = world["growing"], world["old"], world["fine"]
    staff = sign_in(browser, live_server, "bob@example.com")

    staff.goto("/desk/")
    staff.get_by_role("link", name="Articles to review").click()
    staff.get_by_role("heading", name="Articles to review").wait_for()
    rows = staff.get_by_test_id("kb-review")
    assert rows.count() == 2
    text = " ".join(rows.all_inner_texts())
    assert "5 threads joined its cluster since it was published on" in text
    assert "Helpful 6 of last 20 votes (30 %)" in text
    assert "Not reviewed since" in text
    assert fine.title not in text
    both_widths(staff, artifacts_dir, "desk-articles")

    # The article page shows staff the same evidence above the article.
    staff.get_by_role("link", name=growing.title).click()
    staff.wait_for_url(f"**{growing.get_absolute_url()}")
    flag = staff.get_by_test_id("kb-review")
    flag.get_by_text("Helpful 6 of last 20 votes (30 %)").wait_for()
    assert "5 threads joined its cluster" in flag.inner_text()
    cluster = flag.get_by_role("link", name="See the questions in its cluster")
    assert cluster.get_attribute("href") == Article.objects.get(pk=growing.pk).review_cluster_url
    both_widths(staff, artifacts_dir, "article-flagged")

    # "Reviewed, still right" on the article that was only old: it leaves the list.
    staff.goto("/desk/articles/")
    staff.get_by_test_id("kb-review").filter(has_text=old.title).get_by_role(
        "button", name="Reviewed, still right"
    ).click()
    staff.get_by_text(f"Marked “{old.title}” as reviewed today.").wait_for()
    assert staff.get_by_test_id("kb-review").count() == 1
    assert not Article.objects.get(pk=old.pk).needs_review

    # The not-helpful report leads with the flagged article and its evidence.
    staff.goto("/kb/unhelpful/")
    staff.get_by_role("heading", name="Needs review (1)").wait_for()
    assert (
        "Helpful 6 of last 20 votes (30 %)" in staff.locator("#needs-review + .kb-review-list").inner_text()
    )
    both_widths(staff, artifacts_dir, "unhelpful-flagged")

    # A visitor reads the same article: no flag, no evidence.
    page.goto(growing.get_absolute_url())
    page.get_by_role("heading", name=growing.title).wait_for()
    assert page.get_by_test_id("kb-review").count() == 0
    assert "Needs review" not in page.content()
    staff.context.close()
