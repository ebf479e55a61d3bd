"""Duplicate links in the admin: read-only rows; confirm and reject run the decisions."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from accounts.actions import set_role
from duplicates.models import ClusterMembership, DuplicateLink
from forum import actions

LINKS = "/admin/duplicates/duplicatelink/"

pytestmark = pytest.mark.usefixtures("role_groups")


def _link(alice, dave, category) -> DuplicateLink:
    a = actions.create_thread(
        alice, "Printer offline after the update", "Nothing prints since 4.2.", category
    )
    b = actions.create_thread(
        dave, "Printer shows offline since update", "Cannot print at all now.", category
    )
    return DuplicateLink.objects.create(low=a, high=b, score=5.0, method="test")


def _client(user) -> Client:
    set_role(user, user.role)
    client = Client()
    client.force_login(user)
    return client


def test_the_team_confirms_a_link_and_the_cluster_is_made(carol, alice, dave, category):
    link = _link(alice, dave, category)
    _client(carol).post(LINKS, {"action": "confirm", ACTION_CHECKBOX_NAME: [link.pk]})
    link.refresh_from_db()
    assert link.state == DuplicateLink.State.CONFIRMED and link.decided_by == carol
    assert ClusterMembership.objects.filter(thread__in=[link.low_id, link.high_id]).count() == 2


def test_a_customer_cannot_decide_links_in_the_admin(alice, dave, category):
    link = _link(alice, dave, category)
    client = Client()
    client.force_login(alice)
    client.post(LINKS, {"action": "confirm", ACTION_CHECKBOX_NAME: [link.pk]})
    link.refresh_from_db()
    assert link.state == DuplicateLink.State.SUGGESTED


def test_link_state_is_read_only(bob, alice, dave, category):
    link = _link(alice, dave, category)
    client = _client(bob)
    assert 'name="state"' not in client.get(f"{LINKS}{link.pk}/change/").content.decode()
    assert client.post(f"{LINKS}{link.pk}/change/", {"state": "confirmed"}).status_code == 403
