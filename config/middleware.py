"""Request guards that hold for every page, before any view runs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

NUL = "\x00"


class RefuseNulMiddleware:
    """Answer 400 to a NUL character in the path or the query string.

    No page of ours has a use for one, and PostgreSQL refuses NUL in text
    ("A string literal cannot contain NUL"), so a NUL that reached a lookup
    (tag filter, tag page, search token) became a 500. Form fields already refuse
    NUL in POST bodies with a message (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Placed after the auth middleware so the page can show the usual header.
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
        ):
            message = (
                "It contains a NUL character (%00), which no page here accepts. "
                "Check the link, or remove that character and try again."
            )
            return render(request, "bad_request.html", {"message": message}, status=400)
        return self.get_response(request)


def outside_the_admin(request, credentials) -> bool:
    """django-axes' whitelist hook: log-ins outside /admin/ are allauth's to limit.

    AXES_ONLY_ADMIN_SITE stops axes refusing them, but it would still count their
    failures and lock the site's own log-in page (allauth already limits it per address
    and per account, honouring the trusted-proxy settings)."""
    from django.urls import reverse

    return not request.path.startswith(reverse("admin:index"))


# What a person is told when a view refuses, unless the view said something better.
NOT_FOUND = (404, "This page isn't here", "The address may be mistyped, or what was here has been removed.")
FORBIDDEN = (403, "You can't open this page", "Your account does not have permission for it.")
# Messages our own views raise with, meant for people (forum/access.py and friends);
# anything else (Django's "No Thread matches the given query." …) gets the generic text.
_OUR_MESSAGE_ENDINGS = (".", "!", "?")


def error_page(request, code: int, heading: str, message: str, **extra):
    context = {"code": code, "heading": heading, "message": message, **extra}
    return render(request, "error_page.html", context, status=code)


def message_for(exception, default: str) -> str:
    text = str(exception) if exception is not None else ""
    if (
        text
        and text[0].isupper()
        and text.endswith(_OUR_MESSAGE_ENDINGS)
        and "matches the given query" not in text
    ):
        return text
    return default


class BrandedErrorsMiddleware:
    """A 404 or 403 raised by a view is the site's own page (what happened, what to do
    next), with the header and the account menu, in development too: Django's technical
    404 (which lists every URL pattern) is for addresses no pattern matches, and only
    while DEBUG is on. With DEBUG off, config.urls' handlers give the same page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            code, heading, default = NOT_FOUND
            if str(exception) in ("No such question", "No such answer"):
                default = "There is no such question here: it may have been removed, or the link is mistyped."
            return error_page(request, code, heading, message_for(exception, default))
        if isinstance(exception, PermissionDenied):
            code, heading, default = FORBIDDEN
            return error_page(request, code, heading, message_for(exception, default))
        return None
