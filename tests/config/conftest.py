"""The forum's fixtures, for the site-wide tests here (error pages, permissions)."""

from tests.forum.conftest import category, thread  # noqa: F401 - fixtures
