"""The unsubscribe link in forum emails: works without signing in.

GET shows what will happen and a button (a link prefetched by a mail scanner
must not unsubscribe anyone); POST unfollows. Mail clients that support RFC 8058
POST "List-Unsubscribe=One-Click" to the same URL, which the POST branch serves.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import User
from forum import actions
from forum.models import Thread
from forum.notifications import read_unsubscribe_token


@csrf_exempt  # the signed token is the credential; one-click POSTs from mail clients carry no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    ids = read_unsubscribe_token(token)
    person = User.objects.filter(pk=ids[0]).first() if ids else None
    thread = Thread.objects.filter(pk=ids[1]).first() if ids else None
    if person is None or thread is None:
        return render(request, "forum/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        actions.unfollow(person, thread)
        return render(request, "forum/unsubscribe.html", {"done": True, "thread": thread})
    return render(request, "forum/unsubscribe.html", {"thread": thread, "token": token})
