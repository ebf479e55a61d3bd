"""Deciding duplicate links, and the clusters that confirmed links make.

A cluster is a connected component of the graph whose edges are the confirmed
links (2+ threads). `recompute()` finds the components around the threads whose
links changed and rewrites their memberships:

- a confirmed link between two clusters merges them: the bigger cluster keeps its
  id (ties: the lower id), the other's members move, the emptied row is deleted;
- rejecting or un-confirming a confirmed link may split a cluster: every old member
  is still reachable from one end of the removed edge, so the components of its two
  ends cover the old cluster; the biggest keeps the id, others get new clusters,
  single threads leave (no row).

Recomputing runs under one lock (a PostgreSQL transaction-level advisory lock;
SQLite's IMMEDIATE transactions already serialise writers), so two decisions
touching the same cluster cannot interleave. Decisions are rare human clicks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts import rules
from accounts.models import TEAM_ROLES
from audit.actions import record
from duplicates import fixes
from duplicates.models import Cluster, ClusterMembership, DuplicateLink, Fix
from forum.errors import InvalidAction, NotAllowed
from forum.models import Follow, MeToo, Thread

CLUSTER_LOCK = 0x0F1C_5EED  # any constant; names the "cluster graph" advisory lock
MANUAL = "manual"

# What the team's decisions are called in the audit log (an asker deciding a suggestion
# on their own question is not a team action and is not logged).
AUDIT_ACTIONS = {
    "link.confirm": "Confirmed a duplicate link",
    "link.reject": "Rejected a duplicate link",
    "link.unconfirm": "Undid a confirmed duplicate link",
    "link.manual": "Linked two questions by hand",
}
_STATE_ACTIONS = {
    DuplicateLink.State.CONFIRMED: "link.confirm",
    DuplicateLink.State.REJECTED: "link.reject",
    DuplicateLink.State.SUGGESTED: "link.unconfirm",
}


def _audit(by, action: str, link: DuplicateLink) -> None:
    record(
        by, action, kind="link", target_id=link.pk, label=f"“{link.low.title}” and “{link.high.title}”",
        url=link.low.get_absolute_url(), threads=[link.low_id, link.high_id],
    )  # fmt: skip


# --- the "clusters changed" hook ----------------------------------------------------------
# Apps above duplicates (kb: whether an article works, kb/health.py) learn that a decision
# changed clusters without duplicates importing them: fn(thread_ids) is called inside the
# deciding transaction with the two threads of the link and every thread that joined a
# cluster. Register in AppConfig.ready().
_clusters_changed: list[Callable[[set[int]], None]] = []


def register_clusters_changed(fn: Callable[[set[int]], None]) -> None:
    if fn not in _clusters_changed:
        _clusters_changed.append(fn)


# --- who may decide ---------------------------------------------------------------


def can_decide(user, link: DuplicateLink) -> bool:
    """Staff and moderators decide any link; an asker, suggested links of their own thread."""
    if rules.may_decide_any_link(user):
        return True
    return (
        link.state == DuplicateLink.State.SUGGESTED
        and rules.may_post(user)
        and user.pk in (link.low.author_id, link.high.author_id)
    )


# --- decisions (actions) -------------------------------------------------------------


def _locked_link(link_id: int) -> DuplicateLink:
    link = (
        DuplicateLink.objects.select_for_update(of=("self",))
        .select_related("low", "high")
        .filter(pk=link_id)
        .first()
    )
    if link is None:
        raise InvalidAction("This link no longer exists.")
    return link


def _decide(link_id: int, by, state: str, *, action: str | None = None) -> tuple[DuplicateLink, bool]:
    """Set a link's state; returns (link, changed). Recomputes clusters when the
    confirmed graph changed, and tells people who joined a cluster with a fix. A team
    member's decision is written to the audit log (as `action`, default by state)."""
    with transaction.atomic():
        link = _locked_link(link_id)
        if not can_decide(by, link):
            raise NotAllowed("Only staff, or the person who asked, can decide whether these are the same.")
        if link.state == state:
            return link, False
        was_confirmed = link.state == DuplicateLink.State.CONFIRMED
        link.state = state
        link.decided_by = by if state != DuplicateLink.State.SUGGESTED else None
        link.decided_at = timezone.now() if state != DuplicateLink.State.SUGGESTED else None
        link.save(update_fields=["state", "decided_by", "decided_at"])
        if was_confirmed or state == DuplicateLink.State.CONFIRMED:
            joined = recompute([link.low_id, link.high_id])
            fixes.announce_to_joiners(joined)
            if was_confirmed:  # the cluster may have split: a fix may no longer be theirs
                fixes.withdraw_from_leavers([link.low_id, link.high_id])
            changed = {link.low_id, link.high_id}.union(*joined.values())
            for listener in _clusters_changed:
                listener(changed)
        if rules.is_team(by):
            _audit(by, action or _STATE_ACTIONS[state], link)
    return link, True


def confirm_link(link_id: int, by) -> bool:
    """ "Same problem": join the two threads' clusters. False if already confirmed."""
    return _decide(link_id, by, DuplicateLink.State.CONFIRMED)[1]


def reject_link(link_id: int, by) -> bool:
    """ "Not the same": never suggested again; splits a cluster if it was confirmed."""
    return _decide(link_id, by, DuplicateLink.State.REJECTED)[1]


def unconfirm_link(link_id: int, by) -> bool:
    """Back to a suggestion (staff): the cluster splits if this link held it together."""
    if not rules.may_decide_any_link(by):
        raise NotAllowed("Only staff can undo a confirmed link.")
    return _decide(link_id, by, DuplicateLink.State.SUGGESTED)[1]


def link_manually(a: Thread, b: Thread, by) -> DuplicateLink:
    """Staff link two threads the job did not pair: a confirmed "manual" link."""
    if not rules.may_decide_any_link(by):
        raise NotAllowed("Only staff can link threads by hand.")
    if a.pk == b.pk:
        raise InvalidAction("A thread cannot be a duplicate of itself.")
    low, high = sorted([a.pk, b.pk])
    with transaction.atomic():
        link, _ = DuplicateLink.objects.get_or_create(
            low_id=low, high_id=high, defaults={"score": 0.0, "method": MANUAL}
        )
        _decide(link.pk, by, DuplicateLink.State.CONFIRMED, action="link.manual")
        link.refresh_from_db()
    return link


# --- components -----------------------------------------------------------------------


def _lock_graph() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLUSTER_LOCK])


def component(start: int) -> set[int]:
    """Threads reachable from `start` over confirmed links (one query per BFS level)."""
    seen = {start}
    frontier = {start}
    while frontier:
        edges = DuplicateLink.objects.confirmed().filter(Q(low_id__in=frontier) | Q(high_id__in=frontier))
        nxt = set()
        for low, high in edges.values_list("low_id", "high_id"):
            for t in (low, high):
                if t not in seen:
                    seen.add(t)
                    nxt.add(t)
        frontier = nxt
    return seen


def recompute(seeds: Iterable[int]) -> dict[int, set[int]]:
    """Rewrite the memberships of the components around `seeds`.

    Precondition: inside the transaction that changed the links. Returns
    {cluster_id: threads that joined it} for clusters that gained members (a fix
    already in such a cluster must reach them).
    """
    _lock_graph()
    components: list[set[int]] = []
    seen: set[int] = set()
    for seed in seeds:
        if seed not in seen:
            comp = component(seed)
            seen |= comp
            components.append(comp)
    before = dict(ClusterMembership.objects.filter(thread_id__in=seen).values_list("thread_id", "cluster_id"))
    touched = set(before.values())
    claimed: set[int] = set()
    joined: dict[int, set[int]] = {}
    for comp in sorted(components, key=lambda c: (-len(c), min(c))):
        if len(comp) < 2:
            ClusterMembership.objects.filter(thread_id__in=comp).delete()
            continue
        counts = Counter(before[t] for t in comp if t in before)
        keep = next(
            (cid for cid, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if cid not in claimed),
            None,
        )
        if keep is None:
            keep = Cluster.objects.create().pk
        claimed.add(keep)
        moving = [t for t in comp if t in before and before[t] != keep]
        if moving:
            ClusterMembership.objects.filter(thread_id__in=moving).update(cluster_id=keep)
        new = [t for t in comp if t not in before]
        ClusterMembership.objects.bulk_create([ClusterMembership(thread_id=t, cluster_id=keep) for t in new])
        if moving or new:
            joined[keep] = {*moving, *new}
    Cluster.objects.filter(pk__in=touched - claimed).delete()  # emptied by the moves above
    for cluster_id in claimed:
        store_people(cluster_id)
    return joined


# --- reads ------------------------------------------------------------------------------


def cluster_of(thread: Thread) -> ClusterMembership | None:
    """The thread's membership (cluster id), memoised on the object for the request."""
    if not hasattr(thread, "_cluster_membership_memo"):
        thread._cluster_membership_memo = ClusterMembership.objects.filter(thread_id=thread.pk).first()
    return thread._cluster_membership_memo


def people_affected(cluster_id: int) -> int:
    """Distinct askers, me-too voters and followers outside the team across the cluster's
    visible threads, each once (a thread's own count: forum's people_from_rows)."""
    askers = (
        Thread.objects.visible()
        .filter(cluster_membership__cluster_id=cluster_id)
        .order_by()
        .values("author_id")
    )
    voters = (
        MeToo.objects.filter(thread__cluster_membership__cluster_id=cluster_id, thread__is_deleted=False)
        .order_by()
        .values("user_id")
    )
    followers = (
        Follow.objects.filter(thread__cluster_membership__cluster_id=cluster_id, thread__is_deleted=False)
        .exclude(user__role__in=TEAM_ROLES)
        .order_by()
        .values("user_id")
    )
    return askers.union(voters, followers).count()  # UNION (not ALL) drops repeats: one query


def store_people(cluster_id: int) -> int:
    """Store the cluster's people count (the desk orders by it). Inside the writer's transaction."""
    count = people_affected(cluster_id)
    Cluster.objects.filter(pk=cluster_id).exclude(people_count=count).update(people_count=count)
    return count


def people_changed(thread_ids: list[int]) -> None:
    """forum's "people changed" hook: recount the clusters of these threads."""
    for cluster_id in set(
        ClusterMembership.objects.filter(thread_id__in=thread_ids).values_list("cluster_id", flat=True)
    ):
        store_people(cluster_id)


def cluster_threads(cluster_id: int):
    return (
        Thread.objects.visible()
        .filter(cluster_membership__cluster_id=cluster_id)
        .for_list()
        .order_by("created_at", "id")
    )


def main_thread(cluster_id: int) -> Thread | None:
    """Where duplicates are merged into: the thread with the first fix, else the oldest."""
    fix = (
        Fix.objects.filter(thread__cluster_membership__cluster_id=cluster_id, thread__is_deleted=False)
        .select_related("thread")
        .order_by("created_at", "id")
        .first()
    )
    if fix is not None:
        return fix.thread
    return cluster_threads(cluster_id).first()
