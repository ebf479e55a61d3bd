"""Losing no place (issue 12, item 6): a visitor writes a question, is asked to sign in
with word that it is kept, signs up, confirms the address from the email, and is back on
the filled-in ask form, signed in, with a message; posting it works. Screenshots
journey-signin-*, journey-check-email-*, journey-back-*."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from forum.models import Thread
from tests.browser import both_widths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Handwriting search finds nothing since 4.3"
BODY = "Searching my handwritten notes returns no results since updating to 4.3 on the iPad."


def test_a_visitor_signs_up_confirms_and_is_back_on_their_question(
    page, live_server, artifacts_dir, category
):
    page.goto("/questions/ask/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_body").fill(BODY)
    page.locator("#id_category").select_option(str(category.pk))
    page.locator("#id_tags").fill("search, ipad")
    page.get_by_role("button", name="Post your question").click()

    page.wait_for_url(re.compile(r"/accounts/login/\?next=%2Fquestions%2Fask%2F"))
    page.get_by_text("Your question is kept.").wait_for()
    both_widths(page, artifacts_dir, "journey-signin")

    page.get_by_role("link", name="sign up").click()
    page.get_by_text("Your question is kept.").wait_for()
    page.locator("#id_email").fill("hana@example.com")
    page.get_by_label("Public display name").fill("Hana Sato")
    page.locator("#id_password1").fill("a-very-good-pass-42")
    page.locator("#id_password2").fill("a-very-good-pass-42")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    page.get_by_text("Your question is kept.").wait_for()
    both_widths(page, artifacts_dir, "journey-check-email")

    [email] = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", email.body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(re.compile(r"/questions/ask/$"))
    page.get_by_text("Welcome back — here is the question you were writing.").wait_for()
    page.locator(".site-header").get_by_text("Hana Sato").wait_for()
    assert page.locator("#id_title").input_value() == TITLE
    assert page.locator("#id_body").input_value() == BODY
    assert page.locator("#id_tags").input_value() == "search, ipad"
    both_widths(page, artifacts_dir, "journey-back")

    page.get_by_role("button", name="Post your question").click()
    page.get_by_role("heading", name=TITLE).wait_for()
    assert Thread.objects.get(title=TITLE).author.email == "hana@example.com"
