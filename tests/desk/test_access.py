"""Every desk URL is for staff only: visitors, customers and moderators without the staff
role get 404 and change nothing; staff get the page. The one exception, by design, is
the unsubscribe link in the desk's emails (its signed token is the credential:
tests/desk/test_notifications.py)."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from desk.models import Claim, Note, StaffProfile

# Desk URLs anyone may open, each with the reason.
NOT_STAFF_ONLY = {"unsubscribe": "the one-click link in a desk email works without signing in"}


def _urls(thread):
    return [
        ("get", "/desk/", {}),
        ("get", "/desk/team/", {}),
        ("get", "/desk/links/", {}),
        ("get", "/desk/insights/", {}),
        ("get", "/desk/articles/", {}),
        ("post", "/desk/next/", {}),
        ("post", "/desk/duty/", {"on_duty": "0"}),
        ("post", "/desk/settings/", {"notify_new_threads": "on"}),
        ("post", f"/desk/threads/{thread.pk}/take/", {}),
        ("post", f"/desk/threads/{thread.pk}/release/", {}),
        ("post", f"/desk/threads/{thread.pk}/hand/", {"to": "1"}),
        ("post", f"/desk/threads/{thread.pk}/notes/", {"body": "Order 12345, refund issued"}),
        # With real rows, as their owner's colleagues and as customers: tests/desk/test_replies.py.
        ("get", "/desk/replies/", {}),
        ("post", "/desk/replies/new/", {"title": "Refunds", "body": "Refunds take 5 days."}),
        ("get", "/desk/replies/1/edit/", {}),
        ("post", "/desk/replies/1/delete/", {}),
        # With a pending link, form and htmx: tests/desk/test_links.py.
        ("post", "/desk/links/1/decide/", {"decision": "confirm"}),
        # With a real group: tests/desk/test_firefight.py.
        ("get", "/desk/repeats/", {}),
        ("post", "/desk/repeats/1/promote/", {}),
        ("post", "/desk/repeats/1/dismiss/", {}),
    ]


def test_every_desk_url_is_checked_here_or_named_as_not_staff_only(thread):
    """A new desk URL must be added to _urls (staff only) or to NOT_STAFF_ONLY with a reason."""
    from desk import urls

    names = {p.name for p in urls.urlpatterns}
    checked = {get_resolver().resolve(url).url_name for _, url, _ in _urls(thread)}
    assert names - checked == set(NOT_STAFF_ONLY)


@pytest.mark.parametrize("who", ["client", "alice_client", "carol_client"])
def test_everyone_but_staff_gets_404_on_every_desk_url(request, who, thread):
    viewer = request.getfixturevalue(who)
    for method, url, data in _urls(thread):
        response = getattr(viewer, method)(url, data)
        assert response.status_code == 404, (who, url)
    assert not Claim.objects.exists() and not Note.objects.exists() and not StaffProfile.objects.exists()


def test_staff_open_the_desk_pages(bob_client, thread):
    assert bob_client.get("/desk/").status_code == 200
    assert bob_client.get("/desk/team/").status_code == 200
    assert bob_client.get("/desk/insights/").status_code == 200
    assert bob_client.get("/desk/articles/").status_code == 200


def test_the_header_links_to_the_desk_for_staff_only(bob_client, alice_client, carol_client, client):
    assert 'href="/desk/"' in bob_client.get("/questions/").content.decode()
    for viewer in (alice_client, carol_client, client):
        assert 'href="/desk/"' not in viewer.get("/questions/").content.decode()


def test_desk_writes_are_post_only(bob_client, thread):
    assert bob_client.get(f"/desk/threads/{thread.pk}/take/").status_code == 405
    assert not Claim.objects.exists()
