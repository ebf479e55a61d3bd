"""Duplicates fixtures: the forum's (links are between forum threads)."""

from tests.forum.conftest import (  # noqa: F401 - fixtures
    answer,
    category,
    other_category,
    people,
    thread,
    unverified,
    unverified_client,
)
