"""Every main page has one h1 and headings that never skip a level (h1, then h2, …).

Screen-reader users move through a page by its headings; a skipped level reads
as a missing section. The pages span forum, kb and search; they live here
because the KB fixtures make a thread with a staff answer and a published article.
"""

from __future__ import annotations

import itertools
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.jobs_helpers import run_pending

HEADING = re.compile(r"<h([1-6])\b", re.IGNORECASE)


def heading_problems(html: str) -> list[str]:
    levels = [int(level) for level in HEADING.findall(html)]
    problems = []
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 elements, expected 1")
    if levels and levels[0] != 1:
        problems.append(f"the first heading is h{levels[0]}, not h1")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"h{before} is followed by h{after}")
    return problems


@pytest.mark.parametrize(
    ("html", "ok"),
    [
        ("<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2>", True),
        ("<h1>a</h1><h3>b</h3>", False),
        ("<h2>a</h2><h1>b</h1>", False),
        ("<h1>a</h1><h1>b</h1>", False),
        ("<p>no heading</p>", False),
    ],
)
def test_the_heading_check_itself(html, ok):
    assert (not heading_problems(html)) is ok


@pytest.fixture
def pages(article, thread, bob):
    run_pending()  # index the thread and the article for search
    return {
        "home": reverse("home"),
        "question list": reverse("forum:list"),
        "category questions": thread.category.get_absolute_url(),
        "thread": thread.get_absolute_url(),
        "ask": reverse("forum:ask"),
        "kb home": reverse("kb:home"),
        "kb category": reverse("kb:category", args=[article.category.slug]),
        "article": article.get_absolute_url(),
        "article history": reverse("kb:history", args=[article.slug]),
        "search landing": reverse("search:search"),
        "search results": reverse("search:search") + "?q=sync",
        "search without results": reverse("search:search") + "?q=zebra",
        "profile": bob.get_absolute_url(),
    }


@pytest.mark.parametrize("who", ["visitor", "staff"])
def test_main_pages_have_headings_in_order(pages, bob, who):
    client = Client()
    if who == "staff":
        client.force_login(bob)
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert heading_problems(response.content.decode()) == [], name


def test_staff_pages_have_headings_in_order(article, thread, bob, alice):
    staff = Client()
    staff.force_login(bob)
    asker = Client()
    asker.force_login(alice)
    for client, url in (
        (staff, reverse("kb:edit", args=[article.slug])),
        (staff, reverse("kb:new")),
        (staff, reverse("kb:unhelpful")),
        (asker, reverse("forum:edit_thread", args=[thread.pk])),
        (asker, reverse("forum:thread_history", args=[thread.pk])),
    ):
        assert heading_problems(client.get(url).content.decode()) == [], url
