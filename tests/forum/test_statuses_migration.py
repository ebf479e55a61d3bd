"""forum 0009: the rows of the old statuses (open / answered / solved, where an official
answer alone made a question "solved") get the new ones (issue 12, item 3): a question
solved only by an official answer becomes "answered by staff" and its asker is asked
"Did this fix it?" from the migration on; an accepted answer or a linked fix stays
"solved"; the rest are "waiting for staff", "answered by staff" or "open" by their facts.
The search entries get the words too. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import User

BEFORE = [("forum", "0008_statuses_told_once"), ("search", "0004_hit_status")]
AFTER = [("forum", "0009_statuses_data")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_official_only_solved_rows_become_answered_by_staff_and_the_rest_keep_their_facts():
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Category = old.get_model("forum", "Category")
    Thread = old.get_model("forum", "Thread")
    Post = old.get_model("forum", "Post")
    SearchEntry = old.get_model("search", "SearchEntry")
    # The accounts app is at its latest: its current model writes the users.
    alice = User.objects.create(email="alice@example.com", display_name="Alice", password="!").pk
    bob = User.objects.create(email="bob@example.com", display_name="Bob", role="staff", password="!").pk
    category = Category.objects.create(name="Sync", slug="sync")
    long_ago = timezone.now() - timedelta(days=60)

    def thread(name, status, **fields):
        t = Thread.objects.create(
            title=name, slug=name, body_md="b", body_html="<p>b</p>", author_id=alice, category=category,
            created_at=long_ago, last_activity_at=long_ago, status=status, **fields,
        )  # fmt: skip
        SearchEntry.objects.create(
            kind="thread", object_id=t.pk, title=name, url=f"/q/{t.pk}/", solved=status == "solved"
        )
        return t

    def answer(t, author, official=False):
        return Post.objects.create(
            thread=t, author_id=author, body_md="Fix", body_html="<p>Fix</p>", created_at=long_ago,
            is_official=official, official_at=long_ago if official else None, official_by_id=bob if official else None,
        )  # fmt: skip

    official_only = thread("official-only", "solved", answer_count=1)
    answer(official_only, bob, official=True)
    accepted = thread("accepted", "solved", answer_count=1)
    accepted_post = answer(accepted, bob, official=True)
    Thread.objects.filter(pk=accepted.pk).update(accepted_post=accepted_post)
    thread("linked", "solved", linked_fix="pending")
    waiting = thread("waiting", "answered", waiting_since=long_ago, answer_count=1)
    answer(waiting, alice)
    staff_replied = thread("staff-replied", "answered", answer_count=1)
    answer(staff_replied, bob)
    thread("team-asked", "open")  # e.g. asked by the team: nobody waits

    executor = _migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Thread = new.get_model("forum", "Thread")
    SearchEntry = new.get_model("search", "SearchEntry")
    rows = {t.slug: t for t in Thread.objects.all()}
    assert {slug: t.status for slug, t in rows.items()} == {
        "official-only": "staff_answered",
        "accepted": "solved",
        "linked": "solved",
        "waiting": "waiting",
        "staff-replied": "staff_answered",
        "team-asked": "open",
    }
    # Asked "Did this fix it?" from the migration on, not from the old official answer: the
    # auto-solve job gives the asker the whole window instead of solving it at once.
    assert rows["official-only"].fix_asked_at > timezone.now() - timedelta(minutes=5)
    assert rows["official-only"].waiting_since is None and rows["official-only"].accepted_post_id is None
    assert rows["accepted"].fix_asked_at == long_ago  # its official answer's time
    assert rows["staff-replied"].fix_asked_at is None  # no official answer: nothing to ask
    labels = dict(SearchEntry.objects.values_list("title", "status_label"))
    assert labels["official-only"] == "Answered by staff" and labels["waiting"] == "Waiting for staff"
    assert labels["accepted"] == "Solved" and labels["team-asked"] == "Open"

    # And back: the old rule again (an official answer is "solved").
    executor = _migrate(BEFORE)
    back = executor.loader.project_state(BEFORE).apps.get_model("forum", "Thread")
    assert dict(back.objects.values_list("slug", "status")) == {
        "official-only": "solved",
        "accepted": "solved",
        "linked": "solved",
        "waiting": "answered",
        "staff-replied": "answered",
        "team-asked": "open",
    }
    _migrate(executor.loader.graph.leaf_nodes())
