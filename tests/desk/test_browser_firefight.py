"""Repeated firefighting in Chromium on the demo (issue 13, item 4): Bob sees "You've
answered this 3 times" on his desk, opens the three questions, promotes the answer, lands
on the article editor prefilled from the reply Yuki accepted, publishes it, and the nudge
is gone. Screenshots at 1280 and 360 px: desk-repeat-nudge-*, desk-repeats-*,
desk-repeat-promoted-* in the test's artifacts dir."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from demo.people import DEMO_PASSWORD
from kb.models import Article, ArticleSource
from tests.browser import both_widths, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_promote_the_answer_they_keep_giving(browser, live_server, artifacts_dir):
    call_command("load_demo", verbosity=0)
    page = sign_in(browser, live_server, "bob@example.com", DEMO_PASSWORD)

    page.goto("/desk/")
    nudge = page.locator(".repeat-panel .repeat-card")
    assert nudge.count() == 1
    headline = nudge.get_by_role("heading").inner_text()
    assert headline == "You've answered this 3 times — promote it to the knowledge base"
    nudge.locator("summary").click()
    assert nudge.get_by_role("link", name="Images missing from PDF export on Mac").is_visible()
    both_widths(page, artifacts_dir, "desk-repeat-nudge")

    page.get_by_role("link", name="Every repeated answer on the team").click()
    page.get_by_role("heading", name="Repeated answers", exact=True).wait_for()
    dismissed = page.locator(".repeat-dismissed")
    assert dismissed.filter(has_text="dismissed by Bob Tanaka").count() == 1  # the outage notice
    assert dismissed.filter(has_text="dismissed by Mia Chen").count() >= 1  # the history's stock replies
    both_widths(page, artifacts_dir, "desk-repeats")

    page.goto("/desk/")
    page.locator(".repeat-panel").get_by_role("button", name="Promote").click()
    page.get_by_text("Draft article started from the best of 3 replies").wait_for()
    assert page.get_by_label("Title").input_value() == "Images missing from PDF export on Mac"
    body = page.get_by_label("Article text").input_value()
    assert body.startswith("Images go missing from an exported PDF when the *Compress images* option is on.")
    article = Article.objects.get(title="Images missing from PDF export on Mac")
    assert ArticleSource.objects.filter(article=article).count() == 3
    both_widths(page, artifacts_dir, "desk-repeat-promoted")

    page.get_by_role("button", name="Save and publish…").first.click()
    page.locator("main form button.btn-success", has_text="Publish").click()
    page.get_by_text("Published.").wait_for()
    page.goto("/desk/")
    page.get_by_role("heading", name="Desk", exact=True).wait_for()
    assert page.locator(".repeat-panel").count() == 0
    page.context.close()
