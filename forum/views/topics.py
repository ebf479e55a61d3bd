"""Following a topic: the "Follow this tag / area / search" buttons, their undo on the
email settings page, and the one-click stop link in topic emails (forum/topics.py).

With htmx the follow button returns itself, changed (on the settings page: the whole
"Topics you follow" section); without JavaScript the view redirects back to the page the
button was on."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import sign_in_first
from forum import actions, topics
from forum.errors import ForumError, InvalidAction
from forum.forms import TopicFollowForm
from forum.models import TopicFollow
from forum.views.common import back_to, refused


def _return_path(request, **_) -> str:
    return back_to(request, reverse("forum:list"))


@require_POST
@sign_in_first(page=_return_path)
def follow_topic(request):
    back = back_to(request, reverse("accounts:notifications"))
    form = TopicFollowForm(request.POST)
    if not form.is_valid():
        return refused(
            request, InvalidAction(" ".join(e for errs in form.errors.values() for e in errs)), back
        )
    undo, topic = form.cleaned_data["undo"], form.cleaned_data["topic"]
    try:
        if undo:
            actions.unfollow_topic(request.user, **topic)
        else:
            follow, _ = actions.follow_topic(request.user, **topic)
    except ForumError as error:
        return refused(request, error, back)
    if request.htmx and request.POST.get("place") == "settings":
        return HttpResponse(topics.settings_section(request, back=back))
    context = {"kind": form.cleaned_data["kind"], "target": form.cleaned_data["target"], "back": back}
    if request.htmx:
        return render(request, "forum/includes/topic_follow_button.html", {**context, "following": not undo})
    if undo:
        messages.success(request, "You no longer follow it.")
    else:
        words = topics.topic_words(follow)
        messages.success(
            request, f"You follow {words[:1].lower()}{words[1:]}: new questions on it come by email."
        )
    return redirect(back)


@csrf_exempt  # the signed token is the credential; one-click POSTs from mail clients carry no CSRF token
@require_http_methods(["GET", "POST"])
def topic_unsubscribe(request, token: str):
    """GET shows what will stop and a button (a mail scanner opening links stops
    nothing); POST stops that one follow, without signing in (RFC 8058)."""
    ids = topics.read_unsubscribe_token(token)
    follow = (
        TopicFollow.objects.select_related("tag", "category").filter(user_id=ids[0], pk=ids[1]).first()
        if ids
        else None
    )
    if ids is None or (follow is None and request.method == "GET"):
        return render(request, "forum/topic_unsubscribe.html", {"invalid": ids is None}, status=404)
    if request.method == "POST":
        actions.unfollow_topic_by_id(*ids)
        return render(request, "forum/topic_unsubscribe.html", {"done": True, "follow": follow})
    return render(
        request, "forum/topic_unsubscribe.html", {"follow": follow, "words": topics.topic_words(follow)}
    )
