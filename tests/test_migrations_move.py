"""A database made by the migrations of main before the move (b9078c9: duplicate links,
clusters, fixes, merges, the outbox and send-once rows all in forum) migrates to the
new layout with every row kept, in the duplicates and jobs apps.

Runs on SQLite and on PostgreSQL (the PostgreSQL pass of .ci/run): table renames,
row copies and id sequences behave differently on the two.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# The leaf migrations of main at b9078c9 for the apps involved; the new apps at zero.
BEFORE = [
    ("forum", "0002_duplicate_links"),
    ("kb", "0001_initial"),
    ("accounts", "0001_initial"),
    ("jobs", None),
    ("duplicates", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_rows_made_before_the_move_are_all_in_the_new_apps_after_it():
    executor = _migrate(BEFORE)
    old = executor.loader.project_state([t for t in BEFORE if t[1]]).apps
    assert not {"jobs", "duplicates"} & {m._meta.app_label for m in old.get_models()}

    User = old.get_model("accounts", "User")
    Category = old.get_model("forum", "Category")
    Thread = old.get_model("forum", "Thread")
    Post = old.get_model("forum", "Post")
    alice = User.objects.create(email="alice@example.com", display_name="Alice", password="!")
    bob = User.objects.create(email="bob@example.com", display_name="Bob", role="staff", password="!")
    category = Category.objects.create(name="Sync", slug="sync")
    now = timezone.now()
    threads = [
        Thread.objects.create(
            title=f"Sync question {i}", slug=f"sync-{i}", body_md="b", body_html="<p>b</p>",
            author=alice, category=category, created_at=now, last_activity_at=now,
        )
        for i in range(4)
    ]  # fmt: skip
    post = Post.objects.create(thread=threads[0], author=bob, body_md="Fix", body_html="<p>Fix</p>")
    a, b, c, d = threads

    old_rows = {}
    DuplicateLink = old.get_model("forum", "DuplicateLink")
    old_rows["link"] = [
        DuplicateLink.objects.create(low=a, high=b, score=7.5, method="scorer-v1", state="confirmed").pk,
        DuplicateLink.objects.create(low=a, high=c, score=4.2, method="scorer-v1").pk,
        DuplicateLink.objects.create(low=b, high=d, score=5.0, method="scorer-v1", state="rejected").pk,
    ]
    cluster = old.get_model("forum", "Cluster").objects.create()
    Membership = old.get_model("forum", "ClusterMembership")  # noqa: N806 - a model class
    Membership.objects.create(thread=a, cluster=cluster)
    Membership.objects.create(thread=b, cluster=cluster)
    fix = old.get_model("forum", "Fix").objects.create(
        key=f"official:{post.pk}", kind="official", thread=a, post=post, actor=bob, url="/q/1/#post-1",
        title="Sync question 0",
    )  # fmt: skip
    old.get_model("forum", "ThreadMerge").objects.create(thread=d, into=a, merged_by=bob)
    old.get_model("forum", "LinkCheckpoint").objects.create(name="link_duplicates", last_thread_id=c.pk)
    PendingJob = old.get_model("forum", "PendingJob")
    jobs = [
        PendingJob.objects.create(kind="link", payload={"thread_id": a.pk}, attempts=1, last_error="x"),
        PendingJob.objects.create(kind="notify", payload={"event": "answer"}, dedupe_key="notify:answer:1"),
        PendingJob.objects.create(kind="fix", payload={"fix_id": fix.pk}, done_at=now),
    ]
    PendingJob.objects.filter(pk=jobs[0].pk).delete()  # ids with a gap, as on a real site
    jobs = jobs[1:]
    sent = old.get_model("forum", "NotificationSent").objects.create(user=alice, event_key="fix:official:1")

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from duplicates.models import Cluster, ClusterMembership, DuplicateLink, Fix, LinkCheckpoint, ThreadMerge
    from jobs.models import NotificationSent
    from jobs.models import PendingJob as NewPendingJob

    links = {link.pk: link for link in DuplicateLink.objects.all()}
    assert sorted(links) == sorted(old_rows["link"])
    first = links[old_rows["link"][0]]
    assert (first.low_id, first.high_id, first.score, first.state) == (a.pk, b.pk, 7.5, "confirmed")
    assert [link.state for _, link in sorted(links.items())] == ["confirmed", "suggested", "rejected"]
    assert list(Cluster.objects.values_list("pk", flat=True)) == [cluster.pk]
    assert sorted(ClusterMembership.objects.values_list("thread_id", "cluster_id")) == [
        (a.pk, cluster.pk),
        (b.pk, cluster.pk),
    ]
    moved_fix = Fix.objects.get(pk=fix.pk)
    assert (moved_fix.key, moved_fix.thread_id, moved_fix.post_id, moved_fix.actor_id) == (
        f"official:{post.pk}", a.pk, post.pk, bob.pk,
    )  # fmt: skip
    assert list(ThreadMerge.objects.values_list("thread_id", "into_id", "merged_by_id")) == [
        (d.pk, a.pk, bob.pk)
    ]
    assert LinkCheckpoint.objects.get(name="link_duplicates").last_thread_id == c.pk

    moved_jobs = {job.pk: job for job in NewPendingJob.objects.all()}
    assert sorted(moved_jobs) == sorted(j.pk for j in jobs)  # same ids: queued messages carry them
    notify = moved_jobs[jobs[0].pk]
    assert (notify.kind, notify.payload, notify.dedupe_key, notify.done_at) == (
        "notify", {"event": "answer"}, "notify:answer:1", None,
    )  # fmt: skip
    assert moved_jobs[jobs[1].pk].done_at is not None
    assert list(NotificationSent.objects.values_list("pk", "user_id", "event_key")) == [
        (sent.pk, alice.pk, "fix:official:1")
    ]
    # New rows get new ids (the sequences were moved past the copied rows) ...
    assert NewPendingJob.objects.create(kind="notify").pk > max(moved_jobs)
    assert DuplicateLink.objects.create(low_id=c.pk, high_id=d.pk, score=1.0, method="manual").pk > max(links)
    # ... the constraints came along, and the old tables are gone.
    assert ThreadMerge._meta.db_table == "duplicates_threadmerge"
    tables = set(connection.introspection.table_names())
    assert {"duplicates_duplicatelink", "duplicates_fix", "jobs_pendingjob"} <= tables
    assert not {"forum_duplicatelink", "forum_pendingjob", "forum_notificationsent"} & tables
