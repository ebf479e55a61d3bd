"""Desk fixtures: the forum's category, a second staff member, and hand-made waiting threads."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from duplicates import clusters
from duplicates.models import DuplicateLink
from forum import actions
from tests.conftest import make_user
from tests.forum.conftest import category, other_category, thread  # noqa: F401 - fixtures

_seq = itertools.count(1)


@pytest.fixture
def erin(db) -> User:
    return make_user("erin@example.com", "Erin", User.Role.STAFF)


def person() -> User:
    n = next(_seq)
    return make_user(f"person{n}@example.com", f"Person {n}")


def ask(area, title: str, hours_ago: float, people: int = 1, *, author=None, tags=()):
    """A customer's question asked `hours_ago` (so waiting that long) with `people` affected
    (the asker plus people-1 me-too voters)."""
    asker = author or person()
    made = actions.create_thread(
        asker, title, f"The details of: {title}.", area, list(tags),
        created_at=timezone.now() - timedelta(hours=hours_ago),
    )  # fmt: skip
    for _ in range(people - 1):
        actions.me_too(person(), made)
    made.refresh_from_db()
    return made


def link(a, b, by) -> None:
    """Confirm a and b as duplicates. With eager Celery the linking job may already have
    suggested the pair (whether it does depends on the corpus the scorer has seen in the
    process), so the suggestion is reused rather than inserted twice."""
    low, high = sorted([a.pk, b.pk])
    pair, _ = DuplicateLink.objects.get_or_create(
        low_id=low, high_id=high, defaults={"score": 9.0, "method": "scorer-v1"}
    )
    clusters.confirm_link(pair.pk, by)
