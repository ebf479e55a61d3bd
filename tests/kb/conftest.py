"""KB fixtures: alice's question answered by bob (staff), promoted and published, and bulk helpers."""

from __future__ import annotations

import pytest

from forum import actions as forum_actions
from forum.models import Category
from kb import actions

STAFF_FIX = (
    "This is a known problem in 4.2.0.\n\n"
    "## Skip the stalled upload\n\nOpen *Settings → Sync* and choose **Skip**.\n\n"
    "## Update to 4.2.1\n\nThe update fixes the cause.\n\n"
    "## If it still fails\n\nSign out and in again."
)


@pytest.fixture
def category(db) -> Category:
    return Category.objects.create(
        name="Sync & accounts", slug="sync", description="Syncing notes.", position=1
    )


@pytest.fixture
def other_category(db) -> Category:
    return Category.objects.create(name="Billing", slug="billing", position=2)


@pytest.fixture
def thread(alice, category):
    return forum_actions.create_thread(
        alice,
        "Notes stop syncing after the update",
        "Since 4.2 nothing syncs from my laptop.",
        category,
        ["sync", "windows"],
    )


@pytest.fixture
def staff_answer(thread, bob):
    return forum_actions.add_answer(thread, bob, STAFF_FIX)


@pytest.fixture
def draft(staff_answer, bob):
    return actions.promote(staff_answer, bob)


@pytest.fixture
def article(draft, bob):
    actions.publish(draft, bob)
    draft.refresh_from_db()
    return draft


def make_articles(author, category, n: int, *, tags=("sync",), publish: bool = True):
    made = []
    for i in range(n):
        article = actions.create_article(
            author,
            f"How to fix problem number {i}",
            f"Summary of fix {i}.",
            f"## Step one\n\nDo thing {i}.\n\n## Step two\n\nThen the other thing.",
            category,
            [*tags, f"t{i % 4}"],
        )
        if publish:
            actions.publish(article, author)
        made.append(article)
    return made
