"""The small world each case of the permission matrix (test_permission_matrix.py) acts on.

Built once per test module inside a transaction; each case runs in a savepoint that is
rolled back after it (pytest-django's own per-test atomic) and gets freshly read rows
(`fresh()`), so no case sees another's changes. Building it for each of the 260 cases took
most of the file's run time.

- the cast of tests/conftest.py: alice, bob (staff), carol (moderator), dave;
- alice (customer) asked `thread`; dave (customer) answered it (`answer`), and so did
  bob (staff: `staff_answer`, not promoted yet); bob asked under her question which
  version she is on (a comment), and she replied with a comment (`comment`);
- erin (a customer outside the fixed cast) asked `other_thread`, suggested as a
  duplicate of alice's (`suggested_link`), and earlier than alice's `duplicate`, which
  a confirmed link joins to it in `cluster` (so `other_thread` is the main thread and
  `duplicate` is the one to merge);
- bob wrote two articles that resolve alice's question: `article`, published, with two
  revisions, and `draft`;
- `snapshot()` reads every row of every table, to prove a refused request wrote nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import User
from duplicates import clusters
from duplicates.models import Cluster, DuplicateLink
from forum import actions as forum
from forum.models import Category, Comment, Post, Thread
from forum.notifications import unsubscribe_token
from kb import actions as kb
from kb.models import Article
from tests.conftest import make_user

FIX = "## Skip the stalled upload\n\nOpen *Settings → Sync* and choose **Skip**, then update to 4.2.1."


@dataclass
class World:
    alice: User
    bob: User
    carol: User
    dave: User
    erin: User
    category: Category
    thread: Thread
    answer: Post
    staff_answer: Post
    comment: Comment
    other_thread: Thread
    duplicate: Thread
    suggested_link: DuplicateLink
    confirmed_link: DuplicateLink
    cluster: Cluster
    article: Article
    draft: Article
    unsubscribe_token: str

    @property
    def cast(self) -> list[User]:
        return [self.alice, self.bob, self.carol, self.dave, self.erin]


def build() -> World:
    alice = make_user("alice@example.com", "Alice")
    bob = make_user("bob@example.com", "Bob", User.Role.STAFF)
    carol = make_user("carol@example.com", "Carol", User.Role.MODERATOR)
    dave = make_user("dave@example.com", "Dave")
    erin = make_user("erin@example.com", "Erin")
    category = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    earlier = timezone.now() - dt.timedelta(hours=2)
    thread = forum.create_thread(
        alice,
        "Notes stop syncing after the update",
        "Since 4.2 nothing syncs from my laptop.",
        category,
        ["sync"],
    )
    answer = forum.add_answer(thread, dave, "Sign out and in again, that fixed it for me.")
    staff_answer = forum.add_answer(thread, bob, FIX)
    forum.add_comment(thread, bob, "Which version are you on?")
    comment = forum.add_comment(thread, alice, "4.2.1 on Windows 11.")
    other_thread = forum.create_thread(
        erin,
        "Sync stopped working after updating",
        "My notes do not sync any more since 4.2.",
        category,
        ["sync"],
        created_at=earlier,
    )
    duplicate = forum.create_thread(
        alice,
        "Phone notes are not syncing since 4.2",
        "The phone shows old notes since the update.",
        category,
        ["sync"],
        created_at=earlier + dt.timedelta(minutes=5),
    )
    low, high = sorted([thread.pk, other_thread.pk])
    suggested_link = DuplicateLink.objects.create(low_id=low, high_id=high, score=0.8, method="scorer-v1")
    confirmed_link = clusters.link_manually(other_thread, duplicate, bob)
    cluster = Cluster.objects.get(memberships__thread=duplicate)

    article = kb.create_article(
        bob, "Notes stop syncing after the 4.2 update", "Skip the stalled upload.", FIX, category, ["sync"]
    )
    kb.save_article(
        article,
        bob,
        title=article.title,
        summary=article.summary,
        body=FIX + "\n\nStill stuck? Sign out and in.",
        category=category,
        tags=["sync"],
        comment="Added the last step",
    )
    kb.link_thread(article, thread, bob)
    kb.publish(article, bob)
    draft = kb.create_article(
        bob,
        "Printing notes cuts off the last page",
        "Choose Fit to page.",
        "Choose *Fit to page* when printing.",
        category,
        ["printing"],
    )
    kb.link_thread(draft, thread, bob)
    return World(
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        erin=erin,
        category=category,
        thread=thread,
        answer=answer,
        staff_answer=staff_answer,
        comment=comment,
        other_thread=other_thread,
        duplicate=duplicate,
        suggested_link=suggested_link,
        confirmed_link=confirmed_link,
        cluster=cluster,
        article=article,
        draft=draft,
        unsubscribe_token=unsubscribe_token(alice.pk, thread.pk),
    )


def fresh(world: World) -> World:
    """The same rows, read again: nothing a case does to its objects reaches the next."""
    return World(
        **{
            name: type(value)._base_manager.get(pk=value.pk) if hasattr(value, "_meta") else value
            for name, value in vars(world).items()
        }
    )


# Rows a request may write without changing anything anyone can see: the session
# (a signed-out visitor's typed text is kept there while they sign in).
NOT_SNAPSHOT = {Session}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (the world is a few dozen rows)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model not in NOT_SNAPSHOT and model._meta.managed
    }


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])
