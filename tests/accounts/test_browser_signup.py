"""A visitor signs up, verifies by the emailed link (which signs them in: same browser),
sees their name, signs out and in again."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_signs_up_verifies_signs_in_and_out(page, live_server, artifacts_dir):
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("link", name="sign up").click()
    page.locator("#id_email").fill("hana@example.com")
    page.get_by_label("Public display name").fill("Hana Sato")
    page.locator("#id_password1").fill("a-very-good-pass-42")
    page.locator("#id_password2").fill("a-very-good-pass-42")
    page.screenshot(path=artifacts_dir / "signup-1280.png", full_page=True)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    page.goto(path)
    # Opening the link confirms nothing by itself (a mail scanner may open it): the
    # person presses Confirm, a POST.
    page.get_by_role("heading", name="Confirm Email Address").wait_for()
    page.screenshot(path=artifacts_dir / "confirm-1280.png", full_page=True)
    page.get_by_role("button", name="Confirm").click()
    header = page.locator(".site-header")
    header.get_by_text("Hana Sato").wait_for()
    page.screenshot(path=artifacts_dir / "signed-in-1280.png")

    header.locator("summary").click()
    page.get_by_role("link", name="Your profile").click()
    page.get_by_role("heading", level=1, name=re.compile("Hana Sato")).wait_for()
    assert "hana@example.com" not in page.content()
    page.screenshot(path=artifacts_dir / "profile-1280.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=artifacts_dir / "profile-360.png", full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(".site-header summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.locator(".site-header").get_by_role("link", name="Sign in").click()
    page.get_by_placeholder("Email address").fill("hana@example.com")
    page.get_by_placeholder("Password").fill("a-very-good-pass-42")
    page.get_by_role("button", name="Sign In").click()
    header.get_by_text("Hana Sato").wait_for()
