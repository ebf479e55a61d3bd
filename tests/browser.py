"""Helpers the Chromium journeys share (the `browser` and `page` fixtures are in conftest)."""

from __future__ import annotations

from tests.conftest import PASSWORD


def shot(page, path) -> None:
    """Full-page screenshot from the top, so the sticky header sits where a reader sees it."""
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=path, full_page=True)


def both_widths(page, artifacts_dir, name: str) -> None:
    """Screenshots of the current page at 1280 px (desktop) and 360 px (a small phone):
    <name>-1280.png and <name>-360.png; the page is left at 1280 px."""
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, artifacts_dir / f"{name}-1280.png")
    page.set_viewport_size({"width": 360, "height": 800})
    shot(page, artifacts_dir / f"{name}-360.png")
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in(browser, live_server, email: str, password: str = PASSWORD):
    """A new browser context signed in through the real log-in form; returns its page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_placeholder("Email address").fill(email)
    page.get_by_placeholder("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.locator(".site-header .account-name").wait_for()
    return page
