"""/questions/mine/: the signed-in person's questions, answers and followed questions;
and the public lists on a profile (registered with accounts.profile)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from accounts.decorators import sign_in_first
from forum import queries

PER_PAGE = 20

_READS = {
    "questions": queries.questions_by,
    "answers": queries.answers_by,
    "following": queries.followed_by,
}


def _tab(request, allowed) -> str:
    tab = request.GET.get("tab", "questions")
    return tab if tab in allowed else "questions"


def _page(request, tab: str, person):
    return Paginator(_READS[tab](person), PER_PAGE).get_page(request.GET.get("page"))


@require_GET
@sign_in_first()
def mine(request):
    tab = _tab(request, queries.ACTIVITY_TABS)
    context = {
        "tab": tab,
        "tabs": queries.ACTIVITY_TABS,
        "page": _page(request, tab, request.user),
        "person": request.user,
        "own": True,
    }
    return render(request, "forum/mine.html", context)


def profile_lists(request, person):
    """The profile's "Questions" and "Answers" lists (public: never what they follow)."""
    tab = _tab(request, queries.PUBLIC_ACTIVITY_TABS)
    tabs = {key: queries.ACTIVITY_TABS[key] for key in queries.PUBLIC_ACTIVITY_TABS}
    context = {"tab": tab, "tabs": tabs, "page": _page(request, tab, person), "person": person}
    return render_to_string("forum/includes/activity.html", context, request=request)
