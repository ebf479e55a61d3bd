"""The thread page's duplicate panels (registered in duplicates/apps.py through forum.hooks).

- sidebar, "Similar threads": confirmed and suggested links with Confirm / Reject
  for those who may decide, and the cluster's people-affected count;
- after_question, the "fixed on a linked thread" banner.

Queries, whatever the number of links, threads or people: two for a thread in no
cluster (links, membership — the banner reuses the membership read); five in a
cluster (+ people affected, thread count, fixes). Pinned by
tests/duplicates/test_clusters.py::test_thread_page_queries_with_the_panels_do_not_grow_with_links_or_people.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from duplicates import clusters, fixes
from duplicates.models import DuplicateLink
from forum.models import Thread


def panel_context(request, thread: Thread) -> dict:
    rows = []
    for link, other in clusters.similar_links(thread):
        rows.append(
            {
                "link": link,
                "other": other,
                "confirmed": link.state == DuplicateLink.State.CONFIRMED,
                "can_decide": request.user.is_authenticated and clusters.can_decide(request.user, link),
            }
        )
    context = {"thread": thread, "rows": rows, "cluster": None}
    membership = clusters.cluster_of(thread)
    if membership is not None:
        context["cluster"] = membership.cluster_id
        context["affected"] = clusters.people_affected(membership.cluster_id)
        context["cluster_size"] = clusters.cluster_threads(membership.cluster_id).count()
    return context


def similar_threads_panel(request, thread: Thread) -> str | None:
    context = panel_context(request, thread)
    if not context["rows"] and context["cluster"] is None:
        return None
    return render_to_string("duplicates/similar_panel.html", context, request=request)


def fix_banner(request, thread: Thread) -> str | None:
    """The fixes of the thread's cluster, and whether this thread is solved through them
    (Thread.linked_fix, forum's fact): its asker gets "Did this fix it for you too?";
    everyone sees the answer they gave. No query beyond the fixes: the asker is
    `thread.author_id`, the state is on the thread row."""
    membership = clusters.cluster_of(thread)
    found = fixes.fixes_for(thread, membership.cluster_id) if membership is not None else []
    if not found and thread.linked_fix:
        # Marked, but the fix is no longer listed (its thread was hidden): the forum kept
        # where it was, so the asker can still answer and readers still see why.
        found = [{"url": thread.linked_fix_url, "title": thread.linked_fix_title}]
    if not found:
        return None
    context = {
        "fixes": found,
        "thread": thread,
        "is_asker": request.user.is_authenticated and request.user.pk == thread.author_id,
        # From the email's links (?fixed=yes|no): which button to offer first. Reading it
        # changes nothing; only the button's POST answers.
        "suggested": request.GET.get("fixed") if request.method == "GET" else None,
    }
    return render_to_string("duplicates/fix_banner.html", context, request=request)
