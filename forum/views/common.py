"""Helpers shared by the forum's views: where sign-in returns to, refusals."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from forum.access import access_post, thread_url
from forum.errors import ForumError


def back_to(request, default: str) -> str:
    """Where a plain form POST returns to: the page it names in `next`, if it is ours."""
    target = request.POST.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# Pages for accounts.decorators.sign_in_first(page=...): where a visitor comes back to.
def thread_path(request, thread_id: int, **_) -> str:
    return thread_url(request.user, thread_id)


def post_thread_path(request, post_id: int, **_) -> str:
    return access_post(request.user, post_id).thread.get_absolute_url()


def refused(request, error: ForumError, back: str):
    """An action said no: tell the person on the page they came from."""
    if request.htmx:
        # Appended inside the element the button targets, so the page keeps its state.
        return HttpResponse(
            format_html('<p class="inline-error" role="alert">{}</p>', str(error)),
            headers={"HX-Reswap": "beforeend"},
        )
    messages.error(request, str(error))
    return redirect(back)
