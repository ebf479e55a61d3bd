"""Helpers shared by the forum's views: sign-in redirects that keep drafts, refusals."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from forum.access import access_post
from forum.drafts import save_draft
from forum.errors import ForumError
from forum.models import Thread


def login_url(next_path: str) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': next_path})}"


def back_to(request, default: str) -> str:
    """Where a plain form POST returns to: the page it names in `next`, if it is ours."""
    target = request.POST.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def thread_path(request, thread_id: int, **_) -> str:
    thread = Thread.objects.visible_to(request.user).filter(pk=thread_id).only("pk", "slug").first()
    if thread is None:
        raise Http404("No such question")
    return thread.get_absolute_url()


def post_thread_path(request, post_id: int, **_) -> str:
    return access_post(request.user, post_id).thread.get_absolute_url()


def sign_in_first(page, draft_fields: tuple[str, ...] = ()):
    """For views that write: a signed-out visitor is sent to sign in and then back to
    the page `page(request, **kwargs)` names, with what they typed kept as a draft.
    (Verified-email checks are the actions' job: they raise NotAllowed.)"""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return_to = page(request, **kwargs)
                if request.method == "POST" and draft_fields:
                    save_draft(request, return_to, {f: request.POST.get(f, "") for f in draft_fields})
                if request.htmx:
                    return HttpResponseClientRedirect(login_url(return_to))
                return redirect(login_url(return_to))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


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
