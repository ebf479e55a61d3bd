"""The forum's look at the threads the ask page suggests (search.kinds review_suggestions).

An open question is suggested so that a second person with the same problem joins it
("I have this problem too") instead of posting a duplicate. The index knows a thread is
public and unsolved; only the forum knows whether it still takes a me-too (not locked),
how many people it affects and whether this person is already among them. One query
for all the open ones; solved threads pass through as the index describes them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Value

from forum.models import MeToo, Thread

TEMPLATE = "forum/includes/suggest_thread.html"


def review(hits: list, user) -> list:
    open_ids = [hit.object_id for hit in hits if not hit.solved]
    if not open_ids:
        return hits
    signed_in = user is not None and user.is_authenticated
    has_me_too = Exists(MeToo.objects.filter(user=user, thread=OuterRef("pk"))) if signed_in else Value(False)
    rows = {
        row["pk"]: row
        for row in Thread.objects.visible()
        .filter(pk__in=open_ids, is_locked=False)
        .exclude(status=Thread.Status.SOLVED)
        .annotate(has_me_too=has_me_too)
        .values("pk", "author_id", "people_count", "has_me_too")
    }
    kept = []
    for hit in hits:
        if hit.solved:
            kept.append(hit)
            continue
        row = rows.get(hit.object_id)
        if row is None:  # deleted, locked or solved since it was indexed
            continue
        hit.template = TEMPLATE
        hit.extra = {
            "thread_id": row["pk"],
            "people": row["people_count"],
            "has_me_too": bool(row["has_me_too"]),
            "own": signed_in and row["author_id"] == user.pk,
        }
        kept.append(hit)
    return kept
