"""The knowledge-base journey in Chromium: staff mark an answer official, promote it (the
draft starts from the fix), edit it and press "Save and publish…" without saving first,
see who will be emailed, confirm, and the public article has the edited text; an
anonymous visitor finds it from /kb/ and votes helpful; the source thread shows the
banner. Screenshots at 1280 and 360 px for the closing note."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from forum import actions as forum_actions
from forum.models import Category
from kb.models import Article, HelpfulVote
from tests.browser import both_widths, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_promote_edit_publish_and_a_visitor_votes(
    browser, live_server, artifacts_dir, alice, bob, dave, page
):
    category = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    thread = forum_actions.create_thread(
        alice,
        "Notes stop syncing after updating to 4.2",
        "Since the 4.2 update nothing syncs.",
        category,
        ["sync"],
    )
    forum_actions.me_too(dave, thread)  # dave follows it too: two people to email
    forum_actions.add_answer(
        thread,
        bob,
        "Thanks for the clear report, Alice.\n\n"
        "## Skip the stalled upload\n\nOpen *Settings → Sync* and choose **Skip**.\n\n"
        "## Update\n\nInstall 4.2.1.\n\n## Still stuck?\n\nSign out and in again.\n\n"
        "Hope this helps!\n\nBest, Bob",
    )

    # Staff: mark official, then promote. The draft starts from the fix.
    staff = sign_in(browser, live_server, "bob@example.com")
    staff.goto(thread.get_absolute_url())
    staff.get_by_role("button", name="★ Mark official").click()
    staff.get_by_text("Marked as the official answer").wait_for()
    staff.get_by_role("button", name="Promote to knowledge base").click()
    staff.wait_for_url(re.compile(r"/kb/[\w-]+/edit/$"))
    assert staff.get_by_label("Title").input_value() == thread.title
    body = staff.get_by_label("Article text").input_value()
    assert body.startswith("## Skip the stalled upload") and body.endswith("Sign out and in again.")

    # Edit, and without saving first press "Save and publish…": the text on screen is
    # what gets published. A note says there are unsaved changes, and leaving warns.
    staff.get_by_label("Title").fill("Fix sync that stops after updating to 4.2")
    staff.get_by_label("Summary").fill("Skip the stalled upload, then install 4.2.1.")
    staff.get_by_label("Article text").fill(body + "\n\nOn a phone, pull down to sync again.")
    staff.get_by_label("What changed?").fill("Clearer title, a step for phones")
    staff.locator(".kb-edit-form [data-unsaved-note]").wait_for()
    prompts = []
    # "Stay on page", answered while the click is still in progress: the editor and its text remain.
    staff.once("dialog", lambda dialog: (prompts.append(dialog.type), dialog.dismiss()))
    staff.get_by_role("link", name="History", exact=True).click()
    assert prompts == ["beforeunload"] and staff.url.endswith("/edit/")
    assert "pull down to sync again" in staff.get_by_label("Article text").input_value()
    both_widths(staff, artifacts_dir, "edit")
    staff.locator(".kb-edit-form").get_by_role("button", name="Save and publish…").click()

    # The confirmation says who will be emailed and shows the text that goes public.
    staff.wait_for_url(re.compile(r"/kb/[\w-]+/publish/$"))
    audience = staff.get_by_test_id("kb-audience").text_content()
    assert " ".join(audience.split()) == "This will email 2 people who follow the question it resolves:"
    staff.locator(".kb-preview", has_text="pull down to sync again").wait_for()
    assert Article.objects.get().status == "draft"
    both_widths(staff, artifacts_dir, "publish-confirm")
    staff.get_by_role("button", name="Publish and email 2 people").click()
    staff.get_by_text("Published. Emailing the 2 people who follow its questions.").wait_for()
    article = Article.objects.get()
    assert article.status == "published" and article.title == "Fix sync that stops after updating to 4.2"
    assert staff.locator(".kb-body", has_text="pull down to sync again").count() == 1
    staff.goto(f"/kb/{article.slug}/history/")
    staff.locator(".diff-add", has_text="Fix sync that stops after updating to 4.2").wait_for()
    both_widths(staff, artifacts_dir, "history-diff")

    # An anonymous visitor finds it from /kb/ and says it helped, without a page reload.
    page.goto("/kb/")
    both_widths(page, artifacts_dir, "kb-home")
    page.get_by_role("link", name="Fix sync that stops after updating to 4.2").first.click()
    page.wait_for_url(f"**/kb/{article.slug}/")
    assert (
        page.get_by_test_id("kb-impact")
        .text_content()
        .strip()
        .endswith("Resolved 1 thread · helped 2 people")
    )
    assert "Based on an answer by Bob" in page.locator(".kb-attribution").text_content()
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="Yes", exact=True).click()
    page.get_by_text("Thanks for your feedback!").wait_for()
    assert page.evaluate("window.__noReload") is True
    page.get_by_label("Anything we should add?").fill("Worked on Windows 11 too")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("We read every note").wait_for()
    article.refresh_from_db()
    assert article.helpful_count == 1
    assert HelpfulVote.objects.get().reason == "Worked on Windows 11 too"
    both_widths(page, artifacts_dir, "article")
    page.goto("/kb/")
    page.locator("#helpful-title + .item-list .article-row").wait_for()  # now "Most helpful"
    assert page.locator(".article-row").count() == 1  # and listed once
    both_widths(page, artifacts_dir, "kb-home-voted")
    page.goto(f"/kb/{article.slug}/")
    # The same browser cannot vote twice: after a reload it is thanked, not asked.
    page.reload()
    assert page.get_by_role("button", name="Yes", exact=True).count() == 0

    # The source thread links to the article.
    page.goto(thread.get_absolute_url())
    banner = page.locator(".kb-banner")
    assert "This fix is in the knowledge base" in banner.text_content()
    banner.get_by_role("link").click()
    page.wait_for_url(f"**/kb/{article.slug}/")
    page.goto(thread.get_absolute_url())
    both_widths(page, artifacts_dir, "thread-banner")
    staff.context.close()


def test_demo_knowledge_base_screenshots(page, live_server, artifacts_dir):
    """What a newcomer sees after `make run`: the demo KB (screenshots for the closing note)."""
    call_command("load_demo")
    page.goto("/kb/")
    assert page.locator(".article-row").count() >= 5
    both_widths(page, artifacts_dir, "demo-kb-home")
    page.get_by_role("link", name="Sync stalls after updating to 4.2 on Windows").first.click()
    page.locator(".kb-toc").wait_for()
    both_widths(page, artifacts_dir, "demo-article")
    page.goto("/")
    both_widths(page, artifacts_dir, "demo-home")
