"""Pending duplicate decisions in the desk (issue 10, item 4): suggested links, the ones
whose confirmation would reach the most people first; confirm or reject in place."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duplicates.models import DuplicateLink
from tests.desk.conftest import ask

LINKS = "/desk/links/"


def suggest(a, b, score=9.0) -> DuplicateLink:
    low, high = sorted([a.pk, b.pk])
    return DuplicateLink.objects.create(low_id=low, high_id=high, score=score, method="scorer-v1")


@pytest.fixture
def pairs(category):
    """Three suggested pairs reaching 2, 7 and 4 people; one rejected pair (never shown)."""
    small = suggest(ask(category, "Sync stops on Windows", 1), ask(category, "Windows sync stalls", 2))
    big = suggest(
        ask(category, "PDF export crashes", 3, people=4), ask(category, "Export to PDF quits", 1, people=3)
    )
    middle = suggest(ask(category, "Invoice has the wrong VAT", 1, people=2),
                     ask(category, "VAT number wrong on invoice", 2, people=2), score=12.0)  # fmt: skip
    rejected = suggest(ask(category, "Dark mode too dark", 1), ask(category, "Dark theme contrast", 1))
    rejected.state = DuplicateLink.State.REJECTED
    rejected.save(update_fields=["state"])
    return {"small": small, "big": big, "middle": middle, "rejected": rejected}


def test_suggested_pairs_are_listed_by_the_people_a_confirmation_would_reach(bob_client, pairs):
    response = bob_client.get(LINKS)
    assert response.status_code == 200
    shown = [link.pk for link in response.context["links"]]
    assert shown == [pairs["big"].pk, pairs["middle"].pk, pairs["small"].pk]
    html = response.content.decode()
    assert "Would reach <strong>7 people</strong>" in html
    assert "Dark mode too dark" not in html


def test_confirming_from_the_desk_links_the_pair_and_comes_back(bob_client, bob, pairs):
    response = bob_client.post(
        f"/questions/links/{pairs['big'].pk}/decide/",
        {"thread": pairs["big"].low_id, "decision": "confirm", "next": LINKS},
    )
    assert response.status_code == 302 and response["Location"] == LINKS
    pairs["big"].refresh_from_db()
    assert pairs["big"].state == DuplicateLink.State.CONFIRMED and pairs["big"].decided_by == bob
    assert pairs["big"].pk not in [link.pk for link in bob_client.get(LINKS).context["links"]]


def test_rejecting_from_the_desk(bob_client, pairs):
    bob_client.post(
        f"/questions/links/{pairs['small'].pk}/decide/",
        {"thread": pairs["small"].low_id, "decision": "reject", "next": LINKS},
    )
    pairs["small"].refresh_from_db()
    assert pairs["small"].state == DuplicateLink.State.REJECTED


def test_next_never_leaves_the_site(bob_client, pairs):
    response = bob_client.post(
        f"/questions/links/{pairs['small'].pk}/decide/",
        {"thread": pairs["small"].low_id, "decision": "confirm", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith("/questions/")


def test_the_page_costs_the_same_queries_however_many_pairs(bob_client, category):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert bob_client.get(LINKS).status_code == 200
        return len(captured)

    suggest(ask(category, "First pair one", 1), ask(category, "First pair two", 1))
    few = queries()
    for n in range(8):
        suggest(ask(category, f"Pair {n} left", 1), ask(category, f"Pair {n} right", 1))
    assert queries() == few == 3  # session, user, the links with both threads
