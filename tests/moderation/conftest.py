"""Moderation fixtures: the forum's, plus trusted reporters and a spammer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from forum import actions
from tests.conftest import make_user
from tests.forum.conftest import (  # noqa: F401 - fixtures
    answer,
    category,
    thread,
    unverified,
    unverified_client,
)


def age(user: User, days: int) -> User:
    """Make an account `days` old (trusted reporters must be MODERATION_TRUSTED_ACCOUNT_DAYS)."""
    user.date_joined = timezone.now() - timedelta(days=days)
    User.objects.filter(pk=user.pk).update(date_joined=user.date_joined)
    return user


@pytest.fixture
def trusted(db) -> list[User]:
    """Five verified customers with month-old accounts."""
    return [age(make_user(f"trusted{i}@example.com", f"Trusted {i}"), 30) for i in range(5)]


@pytest.fixture
def spammer(db) -> User:
    return make_user("sam@example.com", "Sam")


@pytest.fixture
def spam_thread(spammer, category):  # noqa: F811 - the imported fixture
    return actions.create_thread(
        spammer,
        "Cheap watches and bags, best prices",
        "Buy cheap watches at my shop today, great deals.",
        category,
    )
