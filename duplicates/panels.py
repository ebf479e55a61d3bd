"""The thread page's duplicate panels (registered in duplicates/apps.py through forum.hooks).

- sidebar, "Similar threads": confirmed and suggested links with Confirm / Reject
  for those who may decide, and the cluster's people-affected count;
- after_question, the "fixed on a linked thread" banner.

What they show is read with the other apps' panels in the thread page's one panel query
(forum.paneldata, issue 14 item 4): the links shown (`duplicates_links`), the thread's
cluster with its stored people count and its number of visible threads
(`duplicates_cluster`), and the fixes of the cluster's other threads
(`duplicates_fixes`). No query of their own, whatever the number of links, threads or
people. Pinned by tests/duplicates/test_clusters.py::
test_thread_page_queries_with_the_panels_do_not_grow_with_links_or_people.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
from django.template.loader import render_to_string

from duplicates import clusters, linking
from duplicates.models import ClusterMembership, DuplicateLink, Fix
from forum.models import Thread
from forum.paneldata import JSONRows, panel_data

SIMILAR_SHOWN = 8
_SIDE = ("title", "slug", "status", "author_id")


def similar_links_data():
    """clusters.similar_links as panel data: confirmed links first, then suggestions
    scoring at least the threshold, best first; never rejected, never to a hidden thread."""
    thread = OuterRef("pk")
    links = (
        DuplicateLink.objects.filter(Q(low_id=thread) | Q(high_id=thread))
        .shown()
        .filter(Q(state=DuplicateLink.State.CONFIRMED) | Q(score__gte=linking.threshold()))
        .exclude(Q(low__is_deleted=True) | Q(high__is_deleted=True))
        # "confirmed" sorts before "suggested": confirmed links first, then by score.
        .order_by("state", "-score", "pk")[:SIMILAR_SHOWN]
    )
    sides = {f"{side}_{f}": f"{side}__{f}" for side in ("low", "high") for f in _SIDE}
    return JSONRows(links, id="pk", state="state", low_id="low_id", high_id="high_id", **sides)


def cluster_data():
    """The thread's cluster: its id, the people affected across it (Cluster.people_count,
    the number the desk orders by, kept by clusters.store_people) and its visible threads."""
    size = (
        Thread.objects.visible()
        .filter(cluster_membership__cluster_id=OuterRef("cluster_id"))
        .order_by()
        .values("cluster_membership__cluster_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return JSONRows(
        ClusterMembership.objects.filter(thread_id=OuterRef("pk")),
        id="cluster_id",
        people="cluster__people_count",
        threads=Subquery(size),
    )


def fixes_data():
    """fixes.fixes_for as panel data: the fixes published on the cluster's other visible
    threads, oldest first (an article made from two of them is shown once: by url)."""
    cluster = ClusterMembership.objects.filter(thread_id=OuterRef(OuterRef("pk"))).values("cluster_id")[:1]
    found = (
        Fix.objects.filter(thread__cluster_membership__cluster_id=Subquery(cluster), thread__is_deleted=False)
        .exclude(thread_id=OuterRef("pk"))
        .order_by("created_at", "id")
    )
    return JSONRows(found, kind="kind", url="url", title="title")


def _cluster(thread: Thread) -> dict | None:
    rows = panel_data(thread)["duplicates_cluster"]
    return rows[0] if rows else None


def _links(thread: Thread) -> list[tuple[DuplicateLink, Thread]]:
    out = []
    for row in panel_data(thread)["duplicates_links"]:
        low, high = (
            Thread(pk=row[f"{side}_id"], **{f: row[f"{side}_{f}"] for f in _SIDE}) for side in ("low", "high")
        )
        link = DuplicateLink(pk=row["id"], state=row["state"], low=low, high=high)
        out.append((link, link.other(thread.pk)))
    return out


def panel_context(request, thread: Thread) -> dict:
    rows = []
    for link, other in _links(thread):
        rows.append(
            {
                "link": link,
                "other": other,
                "confirmed": link.state == DuplicateLink.State.CONFIRMED,
                "can_decide": request.user.is_authenticated and clusters.can_decide(request.user, link),
            }
        )
    context = {"thread": thread, "rows": rows, "cluster": None}
    cluster = _cluster(thread)
    if cluster is not None:
        context["cluster"] = cluster["id"]
        context["affected"] = cluster["people"]
        context["cluster_size"] = cluster["threads"]
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
    unique: dict[str, Fix] = {}
    for row in panel_data(thread)["duplicates_fixes"]:
        unique.setdefault(row["url"], Fix(**row))
    found = list(unique.values())
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
