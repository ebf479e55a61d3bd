"""Forum fixtures: a category, alice's question, and bulk helpers."""

from __future__ import annotations

import pytest

from forum import actions
from forum.models import Category
from tests.conftest import make_user


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
    return actions.create_thread(
        alice,
        "Notes stop syncing after the update",
        "Since 4.2 nothing syncs from my laptop.",
        category,
        ["sync"],
    )


@pytest.fixture
def answer(thread, dave):
    return actions.add_answer(thread, dave, "Sign out and in again, that fixed it for me.")


@pytest.fixture
def unverified(db):
    return make_user("erin@example.com", "Erin", verified=False)


@pytest.fixture
def unverified_client(unverified):
    from django.test import Client

    client = Client()
    client.force_login(unverified)
    return client


@pytest.fixture
def people(db):
    """Twenty verified customers."""
    return [make_user(f"user{i:02d}@example.com", f"User {i:02d}") for i in range(20)]


def make_threads(author, category, n: int, **kwargs):
    return [
        actions.create_thread(
            author,
            f"Question number {i} about sync",
            f"Body of question {i}.",
            category,
            [f"tag{i % 7}"],
            **kwargs,
        )
        for i in range(n)
    ]
