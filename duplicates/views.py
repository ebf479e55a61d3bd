"""Duplicate links: decide a link (htmx or plain form), the cluster page, merge.

Served under /questions/ beside the forum's pages (config/urls.py), at the paths they
had when they were part of the forum, so links in old emails and pages keep working."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts import rules
from accounts.decorators import sign_in_first
from duplicates import clusters, fixes, merge, panels
from duplicates.access import access_link
from duplicates.models import Cluster
from forum.access import access_thread, thread_url
from forum.errors import ForumError
from forum.views.common import back_to, refused

DECISIONS = {
    "confirm": (clusters.confirm_link, "Linked: the two questions are the same problem."),
    "reject": (clusters.reject_link, "Noted: not the same problem. It will not be suggested again."),
    "unconfirm": (clusters.unconfirm_link, "The link is a suggestion again."),
}


def _page_thread_path(request, **_) -> str:
    try:
        return thread_url(request.user, int(request.POST.get("thread") or 0))
    except ValueError:
        raise Http404("No such question") from None


@require_POST
@sign_in_first(page=_page_thread_path)
def decide_link(request, link_id: int):
    try:
        thread_id = int(request.POST.get("thread") or 0)
    except ValueError:
        return HttpResponseBadRequest("Which question?")
    thread, _ = access_link(request.user, link_id, thread_id)
    decision = DECISIONS.get(request.POST.get("decision", ""))
    if decision is None:
        return HttpResponseBadRequest("Confirm or reject?")
    action, done = decision
    try:
        action(link_id, request.user)
    except ForumError as error:
        return refused(request, error, thread.get_absolute_url())
    if request.htmx:
        return HttpResponse(panels.similar_threads_panel(request, thread) or "")
    messages.success(request, done)
    # The desk's list of pending decisions sends `next` to come back to it.
    return redirect(back_to(request, thread.get_absolute_url()))


@require_GET
def cluster_page(request, cluster_id: int):
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    threads = list(clusters.cluster_threads(cluster.pk))
    if not threads:
        raise Http404("No such set of linked questions")
    main = clusters.main_thread(cluster.pk)
    context = {
        "cluster": cluster,
        "threads": threads,
        "main": main,
        "fixes": fixes.cluster_fixes(cluster.pk),
        "affected": clusters.people_affected(cluster.pk),
        "can_merge": rules.may_merge(request.user),
    }
    return render(request, "duplicates/cluster.html", context)


@require_POST
@sign_in_first(page=lambda request, cluster_id, **_: Cluster(pk=cluster_id).get_absolute_url())
def merge_into_main(request, cluster_id: int, thread_id: int):
    thread = access_thread(request.user, thread_id)
    try:
        main = merge.merge_into_main(thread, request.user)
    except ForumError as error:
        return refused(request, error, Cluster(pk=cluster_id).get_absolute_url())
    messages.success(
        request, f"Merged “{thread.title}” into this question: its answers and people moved here."
    )
    return redirect(main)
