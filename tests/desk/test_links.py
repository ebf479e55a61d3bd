"""Pending duplicate decisions in the desk (issue 10, item 4): suggested links, the ones
whose confirmation would reach the most people first; confirm or reject in place (htmx:
the row is replaced by its result), or with a plain POST that comes back to the list."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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


# --- deciding from the desk: in place with htmx, or a plain POST ---------------------------

HX = {"HX-Request": "true"}


def decide(link) -> str:
    return f"/desk/links/{link.pk}/decide/"


def test_the_rows_decide_in_place_with_htmx_and_still_post_without_it(bob_client, pairs):
    html = bob_client.get(LINKS).content.decode()
    url = decide(pairs["big"])
    assert f'action="{url}" hx-post="{url}" hx-target="closest .desk-link" hx-swap="outerHTML"' in html


def test_same_problem_with_htmx_answers_the_row_s_replacement(bob_client, bob, pairs):
    response = bob_client.post(decide(pairs["big"]), {"decision": "confirm"}, headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<li class="card desk-link desk-link-done desk-link-confirmed" id="link-{pairs["big"].pk}">'
    )
    assert "Confirmed — now reaching 7 people" in html
    assert "<html" not in html and "Same problem</button>" not in html
    pairs["big"].refresh_from_db()
    assert pairs["big"].state == DuplicateLink.State.CONFIRMED and pairs["big"].decided_by == bob
    cluster_id = pairs["big"].low.cluster_membership.cluster_id
    assert cluster_id == pairs["big"].high.cluster_membership.cluster_id
    assert f'href="{reverse("duplicates:cluster", args=[cluster_id])}"' in html


def test_not_the_same_with_htmx(bob_client, pairs):
    response = bob_client.post(decide(pairs["small"]), {"decision": "reject"}, headers=HX)
    assert response.status_code == 200
    assert "Marked as not the same" in response.content.decode()
    pairs["small"].refresh_from_db()
    assert pairs["small"].state == DuplicateLink.State.REJECTED


def test_deciding_twice_says_someone_already_decided_and_changes_nothing(bob_client, erin, pairs):
    from django.test import Client

    erin_client = Client()
    erin_client.force_login(erin)
    erin_client.post(decide(pairs["middle"]), {"decision": "reject"}, headers=HX)
    response = bob_client.post(decide(pairs["middle"]), {"decision": "confirm"}, headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone already decided this link: Erin marked it as not the same." in html
    assert 'role="alert"' in html and "Same problem</button>" not in html
    pairs["middle"].refresh_from_db()
    assert pairs["middle"].state == DuplicateLink.State.REJECTED and pairs["middle"].decided_by == erin
    # Without JavaScript: back to the list, with the same message.
    response = bob_client.post(decide(pairs["middle"]), {"decision": "confirm"})
    assert response.status_code == 302 and response["Location"] == LINKS
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Someone already decided this link: Erin marked it as not the same."
    ]
    pairs["middle"].refresh_from_db()
    assert pairs["middle"].state == DuplicateLink.State.REJECTED


def test_without_javascript_the_decision_comes_back_to_the_list_with_a_message(bob_client, pairs):
    response = bob_client.post(decide(pairs["big"]), {"decision": "confirm"})
    assert response.status_code == 302 and response["Location"] == LINKS
    page = bob_client.get(LINKS)
    assert "Confirmed — now reaching 7 people: “PDF export crashes” and “Export to PDF quits”." in (
        page.content.decode()
    )
    assert pairs["big"].pk not in [link.pk for link in page.context["links"]]


def test_an_unknown_decision_changes_nothing(bob_client, pairs):
    response = bob_client.post(decide(pairs["big"]), {"decision": "merge"}, headers=HX)
    assert "Choose “Same problem” or “Not the same”." in response.content.decode()
    pairs["big"].refresh_from_db()
    assert pairs["big"].state == DuplicateLink.State.SUGGESTED


@pytest.mark.parametrize("who", ["client", "alice_client", "carol_client"])
@pytest.mark.parametrize("headers", [{}, HX], ids=["form", "htmx"])
def test_only_staff_decide_from_the_desk(request, who, headers, pairs, alice):
    """Moderators decide links on the question's page (duplicates), and an asker on their
    own question; the desk's URL is the staff's alone."""
    pairs["big"].low.author = alice  # alice asked one of the two
    pairs["big"].low.save(update_fields=["author"])
    viewer = request.getfixturevalue(who)
    response = viewer.post(decide(pairs["big"]), {"decision": "confirm"}, headers=headers)
    assert response.status_code == 404
    pairs["big"].refresh_from_db()
    assert pairs["big"].state == DuplicateLink.State.SUGGESTED
