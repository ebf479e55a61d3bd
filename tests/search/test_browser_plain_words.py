"""Issue 12, item 8 in a browser: "cant login" finds "Can't log in", and the empty search
page suggests this forum's own topics and questions (not printers)."""

from __future__ import annotations

import pytest

from tests.browser import both_widths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def notes_forum(alice, bob, dave):
    """A notes app's forum, written through forum actions as people would."""
    from forum import actions as forum_actions
    from forum.models import Category

    account = Category.objects.create(name="Account", slug="account")
    sync = Category.objects.create(name="Sync", slug="sync")

    def solved(title, body, category, tags, fix):
        thread = forum_actions.create_thread(alice, title, body, category, tags)
        answer = forum_actions.add_answer(thread, bob, fix)
        forum_actions.accept_solution(thread, answer, alice)
        return thread

    login = solved(
        "Can't log in after changing my password",
        "The desktop app keeps saying my password is wrong since I changed it on the website.",
        account,
        ["sign-in", "password"],
        "Sign out on the website too, then sign in on the desktop app with the new password.",
    )
    busy = solved(
        "Notes stop syncing between my phone and laptop",
        "Since the 4.2 update nothing I write on the phone reaches the laptop.",
        sync,
        ["sync", "android", "windows"],
        "Sign out and back in once: 4.2 renews the sync token.",
    )
    solved(
        "Dark mode makes code blocks unreadable",
        "Code blocks are dark grey on black in dark mode.",
        sync,
        ["dark-mode", "windows"],
        "Fixed in 4.2.1: update the app.",
    )
    forum_actions.create_thread(
        dave, "Battery drains overnight on Android", "Open question.", sync, ["android"]
    )
    forum_actions.me_too(dave, busy)
    return login


def test_cant_login_finds_the_thread_and_the_empty_search_suggests_this_sites_content(
    page, live_server, artifacts_dir, notes_forum
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/search/")
    landing = page.locator(".search-landing")
    assert "paper jam" not in landing.inner_text() and "printer" not in landing.inner_text()
    common = page.locator(".search-common li")
    assert common.first.inner_text() == "Notes stop syncing between my phone and laptop"  # most affected
    assert common.count() == 3  # the solved threads; the open one is not an example
    assert page.locator(".search-topics").get_by_role("link", name="windows").is_visible()
    both_widths(page, artifacts_dir, "search-landing-examples")

    page.locator("#search-q").fill("cant login")
    page.locator("#search-q").press("Enter")
    page.wait_for_url("**/search/?q=cant+login")
    hits = page.locator(".search-hit")
    assert hits.first.get_by_role("link", name="Can't log in after changing my password").is_visible()
    assert "No results" not in page.content()
    both_widths(page, artifacts_dir, "search-cant-login")

    hits.first.get_by_role("link", name="Can't log in after changing my password").click()
    page.wait_for_url(f"**{notes_forum.get_absolute_url()}")
    assert page.get_by_role("heading", name="Can't log in after changing my password").is_visible()
