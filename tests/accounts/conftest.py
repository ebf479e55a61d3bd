"""The forum's category fixture, for the journeys that end on the ask page."""

from tests.forum.conftest import category  # noqa: F401 - fixture
