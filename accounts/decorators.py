"""The one sign-in gate for views of every app.

    @sign_in_first()                                   # back to this URL after signing in
    @sign_in_first(page=thread_path, draft_fields=("body",))
    @sign_in_first(draft_fields=ASK_FIELDS, visitors_may_read=True)
    @sign_in_first(page=thread_path, on_visitor=remember_me_too)

A visitor who is not signed in is sent to the sign-in page and then back to `page`
(default: the URL asked for). What they had typed into a form they POSTed is kept as a
draft (accounts/drafts.py) under that page's path, for the page to fill back in.
`on_visitor` lets the view's app remember what the visitor asked for, to do it once they
are signed in (the forum's pending me-too: forum/pending.py).
htmx requests get an `HX-Redirect` instead of a redirect htmx would follow in place.

It checks nothing else: roles are accounts.rules', asked by the access_* helpers
(reads) and the actions (writes); a verified email is the actions' to require.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url

from accounts.drafts import save_draft

SAFE_METHODS = ("GET", "HEAD")


def login_url(next_path: str) -> str:
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_path})}"


def _to_sign_in(request, return_to: str) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        # htmx would swap the sign-in page into the element; make the browser go there.
        return HttpResponse(headers={"HX-Redirect": login_url(return_to)})
    return redirect(login_url(return_to))


def sign_in_first(
    *,
    page: Callable[..., str] | None = None,
    draft_fields: tuple[str, ...] = (),
    visitors_may_read: bool = False,
    on_visitor: Callable[..., None] | None = None,
):
    """Send a signed-out visitor to sign in, then back to `page(request, **view_kwargs)`.

    `draft_fields`: form fields of a POST kept as a draft for `page`.
    `visitors_may_read`: GET and HEAD reach the view signed out too (a public form
    whose sending needs an account).
    `on_visitor(request, **view_kwargs)`: called for a POST before the visitor is sent
    to sign in.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated or (visitors_may_read and request.method in SAFE_METHODS):
                return view(request, *args, **kwargs)
            return_to = page(request, **kwargs) if page else request.get_full_path()
            if request.method == "POST" and draft_fields:
                save_draft(request, return_to, {f: request.POST.get(f, "") for f in draft_fields})
            if request.method == "POST" and on_visitor is not None:
                on_visitor(request, **kwargs)
            return _to_sign_in(request, return_to)

        return wrapper

    return decorator
