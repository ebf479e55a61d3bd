"""Issue 12, item 1 in Chromium: a second person with the same unsolved problem joins
the open question from the ask page instead of posting a duplicate - signed out (sign
in, come back with it done and the question still typed) and signed in (in place, the
keyboard's focus kept)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from forum import actions
from forum.models import Category, MeToo
from tests import services
from tests.browser import both_widths, sign_in
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Notes stopped syncing since the update"
BODY = "Since updating to 4.2 nothing syncs from my laptop, the phone still shows last week's notes."


@pytest.fixture
def forum(alice, bob):
    """An open question two people have (alice asked, hana said me too) and a solved one."""
    category = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    hana = make_user("hana@example.com", "Hana Sato")
    open_thread = actions.create_thread(
        alice,
        "Notes stop syncing after the 4.2 update",
        "Since 4.2 nothing syncs from my laptop to my phone. Signing out did not help.",
        category,
        ["sync", "windows"],
    )
    actions.me_too(hana, open_thread)
    solved = actions.create_thread(
        hana,
        "Sync fails with error 42 on Android",
        "The Android app says error 42 whenever it syncs.",
        category,
        ["sync", "android"],
    )
    answer = actions.add_answer(solved, bob, "Update the Android app to 4.3: the sync error is fixed there.")
    actions.accept_solution(solved, answer, hana)
    return open_thread


def type_question(page) -> None:
    page.goto("/questions/ask/")
    page.locator("#id_title").press_sequentially(TITLE, delay=15)
    page.locator("#id_body").fill(BODY)


def test_visitor_joins_an_open_question_through_sign_in(page, dave, forum, artifacts_dir):
    type_question(page)
    panel = page.locator("#ask-suggestions")
    item = panel.locator(".suggest-item", has_text=forum.title)
    expect(item.get_by_text("Open question")).to_be_visible()
    expect(item.get_by_text("2 people affected")).to_be_visible()
    expect(panel.get_by_text("Solved")).to_be_visible()
    both_widths(page, artifacts_dir, "ask-open-question-visitor")

    item.get_by_role("button", name="I have this problem too").click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next=%2Fquestions%2Fask%2F"))
    page.get_by_placeholder("Email address").fill(dave.email)
    page.get_by_placeholder("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url(re.compile(r"/questions/ask/$"))
    expect(page.get_by_text(f"Signed in, and added: you have \u201c{forum.title}\u201d too.")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(TITLE)  # what they typed is back
    expect(page.locator("#id_body")).to_have_value(BODY)
    expect(page.locator(".field .error")).to_have_count(0)  # not posted: nothing to correct
    joined = page.locator("#ask-suggestions .suggest-item", has_text=forum.title)
    expect(joined.get_by_role("button", name="You\u2019re affected · following")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(joined.get_by_text("3 people affected")).to_be_visible()
    assert MeToo.objects.filter(user=dave, thread=forum).exists()
    both_widths(page, artifacts_dir, "ask-open-question-after-sign-in")


def test_customer_joins_in_place_and_keeps_focus_and_the_question(
    browser, live_server, dave, forum, artifacts_dir
):
    page = sign_in(browser, live_server, dave.email)
    type_question(page)
    item = page.locator("#ask-suggestions .suggest-item", has_text=forum.title)
    button = item.get_by_role("button", name="I have this problem too")
    # Enter in the title presses the form's first submit button: still "Post your question".
    assert page.evaluate("() => document.querySelector('.ask-form [type=submit]').textContent") == (
        "Post your question"
    )
    button.focus()
    page.keyboard.press("Enter")

    pressed = item.get_by_role("button", name="You\u2019re affected · following")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(pressed).to_be_focused()  # focus stays on the button it replaced
    expect(item.get_by_role("status")).to_have_text(
        "Added: 3 people affected. We\u2019ll email you when it\u2019s fixed."
    )
    expect(item.get_by_text("3 people affected", exact=True)).to_be_visible()
    assert page.url.endswith("/questions/ask/")  # no navigation: still on the ask page
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_body")).to_have_value(BODY)
    assert MeToo.objects.filter(user=dave, thread=forum).exists()
    both_widths(page, artifacts_dir, "ask-open-question-joined-in-place")
    page.context.close()


def test_the_panel_with_an_open_question_has_no_serious_accessibility_violation(
    browser, live_server, dave, forum
):
    """axe-core on the ask page with the panel showing an open question, before and after
    "I have this problem too" (signed out, then signed in)."""
    services.require(services.axe_available(), f"needs axe-core at {services.AXE} (run `npm ci`)")
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)  # to add axe's script
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    for signed_in in (False, True):
        if signed_in:
            page.goto("/accounts/login/")
            page.get_by_placeholder("Email address").fill(dave.email)
            page.get_by_placeholder("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign In").click()
            page.locator(".site-header .account-name").wait_for()
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            type_question(page)
            item = page.locator("#ask-suggestions .suggest-item", has_text=forum.title)
            item.get_by_text("Open question").wait_for()
            if signed_in and width == 1280:
                item.get_by_role("button", name="I have this problem too").click()
                item.get_by_role("button", name="You\u2019re affected · following").wait_for()
            page.add_script_tag(path=services.AXE)
            found = page.evaluate(
                """async () => {
                    const result = await axe.run(document, {resultTypes: ["violations"]});
                    return result.violations.filter(v => ["serious", "critical"].includes(v.impact))
                        .map(v => v.id + " at " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
                }"""
            )
            problems += [f"signed in={signed_in} @{width}px {p}" for p in found]
    context.close()
    assert problems == [], "\n".join(problems)
