"""Browser journey: a customer typing a question sees a solved thread and opens it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from forum import actions as forum_actions
from forum.models import Category
from search.models import AskAttempt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def solved_thread(alice, bob):
    """Asked by alice, answered by bob, accepted by alice: all through forum actions."""
    category = Category.objects.create(name="Printers", slug="printers")
    thread = forum_actions.create_thread(
        alice,
        "Printer shows offline after the firmware update",
        "Since updating the firmware yesterday my printer shows as offline on every computer.",
        category,
        ["printer", "firmware"],
    )
    answer = forum_actions.add_answer(
        thread,
        bob,
        "The update forgets the Wi-Fi network: open Network → Wi-Fi setup on the printer and join it again.",
    )
    forum_actions.accept_solution(thread, answer, alice)
    forum_actions.create_thread(
        alice, "Scanner light blinks orange", "The scanner light blinks orange after the update.", category
    )
    return thread


def sign_in(page, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": page.url or "http://localhost"}]
    )


@pytest.mark.parametrize("width", [1280, 360])
def test_typing_a_question_suggests_a_solved_thread_that_opens(
    page, live_server, dave, solved_thread, artifacts_dir, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/")
    sign_in(page, dave)
    page.goto(f"{live_server.url}/questions/ask/")
    page.locator("#id_title").press_sequentially("my printer is offline since the update", delay=20)
    panel = page.locator("#ask-suggestions")
    panel.get_by_text("These might already answer your question").wait_for()
    link = panel.get_by_role("link", name=solved_thread.title)
    assert panel.get_by_text("Scanner light blinks orange").count() == 0  # not solved: answers nothing
    page.screenshot(path=str(artifacts_dir / f"ask-suggestions-{width}.png"), full_page=True)

    with page.expect_popup() as popup_info:
        link.click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.url.endswith(solved_thread.get_absolute_url())
    assert solved_thread.title in popup.title() or popup.get_by_text(solved_thread.title).first.is_visible()

    attempt = AskAttempt.objects.get(user=dave)
    assert attempt.suggestions_shown >= 1
    assert attempt.opened_url == solved_thread.get_absolute_url()
    assert attempt.posted_at is None
