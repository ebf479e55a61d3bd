"""accounts.decorators.sign_in_first: the one sign-in gate of every app."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.decorators import sign_in_first
from accounts.drafts import pop_draft


def _request(method: str, path: str, user=None, htmx: bool = False, data=None):
    factory = RequestFactory()
    headers = {"HX-Request": "true"} if htmx else {}
    request = getattr(factory, method)(path, data or {}, headers=headers)
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    return request


@sign_in_first()
def plain(request):
    return HttpResponse("in")


@sign_in_first(page=lambda request, item_id, **_: f"/items/{item_id}/", draft_fields=("body",))
def with_draft(request, item_id: int):
    return HttpResponse("in")


@sign_in_first(draft_fields=("title",), visitors_may_read=True)
def public_form(request):
    return HttpResponse("in")


def test_a_visitor_is_sent_to_sign_in_and_back_to_the_url_they_asked_for(db):
    response = plain(_request("get", "/account/settings/?tab=2"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Faccount%2Fsettings%2F%3Ftab%3D2"


def test_a_signed_in_person_passes(alice):
    assert plain(_request("get", "/x/", user=alice)).content == b"in"


def test_a_visitors_post_is_kept_as_a_draft_for_the_page_they_come_back_to(db):
    request = _request("post", "/items/7/answer/", data={"body": "my long answer", "other": "x"})
    response = with_draft(request, item_id=7)
    assert response["Location"] == "/accounts/login/?next=%2Fitems%2F7%2F"
    assert pop_draft(request, "/items/7/") == {"body": "my long answer"}


def test_htmx_gets_a_client_redirect_instead_of_a_swap(db):
    response = plain(_request("post", "/x/", htmx=True))
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fx%2F"


def test_a_public_form_is_read_by_visitors_but_sending_it_needs_an_account(db):
    assert public_form(_request("get", "/ask/")).content == b"in"
    request = _request("post", "/ask/", data={"title": "typed"})
    response = public_form(request)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert pop_draft(request, "/ask/") == {"title": "typed"}
