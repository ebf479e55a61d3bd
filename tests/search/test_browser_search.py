"""The search page in a real browser: how it looks at desktop and phone widths."""

from __future__ import annotations

import pytest

from search.index import BOOST_ANSWERED, BOOST_SOLVED
from tests.search.conftest import put

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seed_help_desk() -> None:
    put(
        "article",
        1,
        "Printer shows “Offline” after a firmware update",
        "After the 4.2 firmware update some printers lose their saved Wi-Fi network and report **Offline**. "
        "Open the printer's control panel, choose *Network → Wi-Fi setup*, select your network again and enter "
        "the password. Then remove and re-add the printer on your computer.",
        tags=["printer", "firmware", "wifi"],
        category="printers",
        category_name="Printers",
    )
    put(
        "thread",
        2,
        "Printer offline on Windows 11 but prints from my phone",
        "My LaserJet shows offline on Windows 11 since Tuesday. Printing from my phone over Wi-Fi still works. "
        "I restarted both and the router.",
        tags=["printer", "windows"],
        category="printers",
        category_name="Printers",
        solved=True,
        boost=BOOST_SOLVED,
    )
    put(
        "thread",
        3,
        "Printer goes offline every night",
        "Every morning the printer is offline until I power cycle it. Sleep mode is set to 15 minutes.",
        tags=["printer", "sleep-mode"],
        category="printers",
        category_name="Printers",
        boost=BOOST_ANSWERED,
    )
    put(
        "thread",
        4,
        "Scanner works, printer offline over USB",
        "The scanner part works over USB but the printer shows offline in the print queue.",
        tags=["printer", "usb"],
        category="printers",
        category_name="Printers",
    )
    put(
        "article",
        5,
        "Reset your router to factory settings",
        "Hold the reset button for 10 seconds. The router restarts with the default Wi-Fi name printed on the label; "
        "printers and other devices must then be connected again.",
        tags=["router", "wifi"],
        category="network",
        category_name="Network",
    )


@pytest.mark.parametrize("width", [1280, 360])
def test_search_page_screenshots(page, live_server, artifacts_dir, width):
    seed_help_desk()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/search/?q=printer+offline")
    assert page.locator(".search-hit").count() == 4
    page.screenshot(path=str(artifacts_dir / f"search-results-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/search/?q=printer+offline&category=printers&tag=windows")
    page.screenshot(path=str(artifacts_dir / f"search-filtered-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/search/?q=toaster+smoking")
    assert page.get_by_text("No results for").is_visible()
    page.screenshot(path=str(artifacts_dir / f"search-empty-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/search/")
    page.screenshot(path=str(artifacts_dir / f"search-landing-{width}.png"), full_page=True)


def test_visitor_searches_from_the_header_and_opens_a_result(page, live_server, alice, bob, artifacts_dir):
    from forum import actions as forum_actions
    from forum.models import Category

    category = Category.objects.create(name="Sync", slug="sync")
    thread = forum_actions.create_thread(
        alice,
        "Notes stop syncing after updating to 4.2",
        "Since 4.2 my notes no longer sync between my phone and my laptop.",
        category,
        ["sync"],
    )
    answer = forum_actions.add_answer(thread, bob, "Sign out and back in once: 4.2 renews the sync token.")
    forum_actions.accept_solution(thread, answer, alice)

    page.goto(f"{live_server.url}/")
    page.locator("#header-q").fill("notes syncing")
    page.locator("#header-q").press("Enter")
    page.wait_for_url("**/search/?q=notes+syncing")
    result = page.locator(".search-hit").first
    assert "solved" in result.inner_text().lower()
    assert result.locator("mark").count() >= 1
    page.screenshot(path=str(artifacts_dir / "header-search-results.png"), full_page=True)
    result.get_by_role("link", name=thread.title).click()
    page.wait_for_url(f"**{thread.get_absolute_url()}")
    assert page.get_by_role("heading", name=thread.title).is_visible()


def test_visitor_finds_a_published_article_from_the_header_and_opens_it(
    page, live_server, bob, artifacts_dir
):
    """Issue 5's journey with a real knowledge-base article, written and published by staff."""
    from forum.models import Category
    from kb import actions as kb_actions

    category = Category.objects.create(name="Printing", slug="printing")
    article = kb_actions.create_article(
        bob,
        "Printer shows Offline after the firmware update",
        "Choose your Wi-Fi network again on the printer, then re-add it on the computer.",
        "After the 4.2 firmware update some printers forget their Wi-Fi network.\n\n"
        "1. On the printer, open *Network → Wi-Fi setup* and choose your network.\n"
        "2. Remove the printer on your computer and add it again.",
        category,
        ["printer", "firmware"],
    )
    draft = kb_actions.create_article(
        bob,
        "Printer offline: internal draft notes",
        "Not ready.",
        "Draft text about the printer being offline, not for visitors.",
        category,
    )
    kb_actions.publish(article, bob)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/kb/")
    page.locator("#header-q").fill("printer offline")
    page.locator("#header-q").press("Enter")
    page.wait_for_url("**/search/?q=printer+offline")
    hits = page.locator(".search-hit")
    assert hits.count() == 1  # the draft never shows to a visitor
    assert draft.title not in page.content()
    assert "article" in hits.first.inner_text().lower()
    page.screenshot(path=str(artifacts_dir / "header-search-article.png"), full_page=True)
    hits.first.get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**/kb/{article.slug}/")
    assert page.get_by_role("heading", name=article.title, level=1).is_visible()
    assert page.get_by_text("Remove the printer on your computer").is_visible()
