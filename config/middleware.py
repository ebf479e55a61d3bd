"""Request guards that hold for every page, before any view runs."""

from __future__ import annotations

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
