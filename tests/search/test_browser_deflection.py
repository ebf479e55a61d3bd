"""The staff deflection page as staff see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from search.models import AskAttempt
from tests.search.conftest import put

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 360])
def test_deflection_page_screenshot(page, live_server, bob, artifacts_dir, width):
    put("article", 1, "Printer shows Offline after a firmware update", "Join the Wi-Fi again.")
    put("thread", 2, "Notes stop syncing after 4.2", "Sign out and in.", solved=True)
    now = timezone.now()
    for i, (url, opened, posted) in enumerate(
        [("/article/1/", True, False)] * 5
        + [("/thread/2/", True, False)] * 2
        + [("", False, True)] * 3
        + [("/thread/2/", True, True)]
    ):
        created = now - dt.timedelta(days=1, minutes=i)
        AskAttempt.objects.create(
            token=f"{i:032x}",
            created_at=created,
            suggestions_shown=3,
            opened_url=url,
            opened_at=created if opened else None,
            posted_at=created if posted else None,
        )
    client = Client()
    client.force_login(bob)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/search/deflection/")
    assert page.locator(".stat-highlight dd").inner_text() == "7"
    page.screenshot(path=str(artifacts_dir / f"deflection-{width}.png"), full_page=True)
