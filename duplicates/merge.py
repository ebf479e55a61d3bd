"""Merge a confirmed duplicate into its cluster's main thread (staff).

The forum moves its own rows (forum.actions.merge_thread: answers, followers, me-too
votes, counters, statuses, search documents, the duplicate hidden as a stub). This
module decides the pair and records what the duplicates app owns, in the same
transaction:
- the main thread is the cluster's (clusters.main_thread: first fix, else oldest);
- fixes recorded on the duplicate move to the main thread, so banners and emails keep
  pointing at them;
- a ThreadMerge row: the stub's URL answers 301 to the main thread (`merged_into`,
  served to forum's thread page through its "thread redirect" hook), and the stub's
  confirmed links keep the cluster's graph whole. A merged stub cannot be restored
  (forum's "restore check" hook).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts import rules
from audit.actions import record
from duplicates.clusters import main_thread
from duplicates.models import ClusterMembership, Fix, ThreadMerge
from forum import actions as forum_actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import Thread

MAX_CHAIN = 10
AUDIT_ACTIONS = {"thread.merge": "Merged a question into another"}


def merge_into_main(duplicate: Thread, by) -> Thread:
    """Merge `duplicate` into the main thread of its cluster; returns the main thread.

    Preconditions: `by` is staff or a moderator; the duplicate is in a cluster (it
    has a confirmed link) and is not that cluster's main thread.
    """
    if not rules.may_merge(by):
        raise NotAllowed("Only staff can merge threads.")
    with transaction.atomic():
        membership = ClusterMembership.objects.filter(thread_id=duplicate.pk).first()
        if membership is None:
            raise InvalidAction(
                "Only a confirmed duplicate can be merged: confirm it is the same problem first."
            )
        main = main_thread(membership.cluster_id)
        if main is None or main.pk == duplicate.pk:
            raise InvalidAction("This is the main thread of its cluster: merge the others into it.")
        dup, main = forum_actions.merge_thread(duplicate, main, by)
        for fix in Fix.objects.filter(thread=dup):
            fix.thread = main
            if fix.post_id:
                fix.url = f"{main.get_absolute_url()}#post-{fix.post_id}"
            fix.save(update_fields=["thread", "url"])
        ThreadMerge.objects.create(thread=dup, into=main, merged_by=by, merged_at=timezone.now())
        record(
            by, "thread.merge", kind="thread", target_id=dup.pk, label=dup.title, url=main.get_absolute_url(),
            into_id=main.pk, into=main.title,
        )  # fmt: skip
    main.refresh_from_db()
    return main


def merged_into(thread_id: int) -> Thread | None:
    """Where a merged thread's URL goes (following merges of merges), or None."""
    target = None
    for _ in range(MAX_CHAIN):
        row = ThreadMerge.objects.select_related("into").filter(thread_id=thread_id).first()
        if row is None:
            break
        target, thread_id = row.into, row.into_id
    return target


def is_merged(thread: Thread) -> bool:
    return ThreadMerge.objects.filter(thread_id=thread.pk).exists()


def restore_refusal(thread: Thread) -> str | None:
    """forum's restore check: a merged stub stays a stub."""
    if is_merged(thread):
        # Its answers, followers and votes now live on the main thread; the stub only
        # keeps the old address redirecting there.
        return "This question was merged into another one and cannot be restored."
    return None
