"""Keyboard and small screens (issue 12, item 12): focus stays on "I have this problem
too" after it is pressed, Esc closes the account menu, the home page shows one search
box on a phone. Screenshot keyboard-home-360.png."""

from __future__ import annotations

import pytest

from forum import actions
from forum.models import Category
from tests.browser import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_focus_stays_on_the_button_that_was_pressed(browser, live_server, alice, dave, db):
    category = Category.objects.create(name="Sync", slug="sync")
    thread = actions.create_thread(
        dave, "Sync conflicts every morning", "Conflicted copies appear daily.", category
    )
    page = sign_in(browser, live_server, alice.email)
    page.goto(thread.get_absolute_url())
    button = page.locator("[data-focus-key='me-too']")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector(\"[data-focus-key='me-too']\").getAttribute('aria-pressed') === 'true'"
    )
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.dataset.focusKey === 'me-too'"
    )
    page.keyboard.press("Enter")  # and again, to take it back: still there
    page.wait_for_function(
        "() => document.querySelector(\"[data-focus-key='me-too']\").getAttribute('aria-pressed') === 'false'"
    )
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.dataset.focusKey === 'me-too'"
    )


def test_escape_closes_the_account_menu(browser, live_server, alice):
    page = sign_in(browser, live_server, alice.email)
    summary = page.locator(".account-menu summary")
    summary.focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Your profile").wait_for()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert page.evaluate("document.querySelector('.account-menu').open") is False
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


def test_the_home_page_shows_one_search_box_on_a_phone(page, artifacts_dir):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/")
    visible = [box for box in page.locator("input[type=search], input[name=q]").all() if box.is_visible()]
    assert len(visible) == 1
    shot(page, artifacts_dir / "keyboard-home-360.png")
    page.goto("/questions/")
    assert page.locator(".header-search input").is_visible()  # elsewhere the header has it
