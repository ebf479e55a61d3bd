"""The fixed cast and the shared fixtures.

alice (customer, asks), bob (staff), carol (moderator), dave (another
customer); the anonymous visitor is the plain `client`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.db import connection

from accounts.models import User
from tests import services

PASSWORD = "correct-horse-battery-staple"


def make_user(email: str, name: str, role: str = User.Role.CUSTOMER, verified: bool = True) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, display_name=name, role=role)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


@pytest.fixture
def alice(db) -> User:
    return make_user("alice@example.com", "Alice")


@pytest.fixture
def bob(db) -> User:
    return make_user("bob@example.com", "Bob", User.Role.STAFF)


@pytest.fixture
def carol(db) -> User:
    return make_user("carol@example.com", "Carol", User.Role.MODERATOR)


@pytest.fixture
def dave(db) -> User:
    return make_user("dave@example.com", "Dave")


def _client_for(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):
    from django.test import Client

    return _client_for(Client, alice)


@pytest.fixture
def bob_client(bob):
    from django.test import Client

    return _client_for(Client, bob)


@pytest.fixture
def carol_client(carol):
    from django.test import Client

    return _client_for(Client, carol)


@pytest.fixture
def dave_client(dave):
    from django.test import Client

    return _client_for(Client, dave)


@pytest.fixture
def eager_celery(settings):
    """Run tasks inline. Only for unit tests that ask for it."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()  # local memory in tests (see settings): rate limits and heartbeats start fresh
    yield


def pytest_configure(config):
    """A fast password hasher: PBKDF2 costs 0.45 s a hash here and fixtures make many
    users (the SQLite suite took 677 s with it). Production keeps Django's default."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Write limits are off except where a test turns them on (tests/config/test_ratelimits.py
    # and the `rate_limits` fixture): many tests post far faster than any person.
    settings.RATELIMIT_ENABLE = False
    # Likewise the minimum time to fill a form (tests/accounts/test_humans.py turns it on).
    settings.SPAM_MIN_FILL_SECONDS = 0


@pytest.fixture
def rate_limits(settings):
    """Turn the write limits on for one test."""
    settings.RATELIMIT_ENABLE = True
    return settings.RATE_LIMITS


def pytest_collection_modifyitems(config, items):
    """Mark the database tests that need PostgreSQL; fail them in CI on SQLite."""
    for item in items:
        if item.get_closest_marker("postgresql"):
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(autouse=True)
def _require_marked_services(request):
    if request.node.get_closest_marker("postgresql"):
        request.getfixturevalue("transactional_db")
        services.require(
            connection.vendor == "postgresql",
            "needs PostgreSQL: run with DATABASE_URL=postgres://… (the PostgreSQL pass of .ci/run)",
        )
    if request.node.get_closest_marker("redis"):
        url = services.redis_url()
        services.require(services.redis_available(url), f"needs Redis at {url}")
    if request.node.get_closest_marker("browser"):
        services.require(services.chromium_available(), f"needs Chromium at {services.CHROMIUM}")


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    services.require(services.chromium_available(), f"needs Chromium at {services.CHROMIUM}")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=services.CHROMIUM, args=services.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def artifacts_dir(request) -> Path:
    """Where a test saves screenshots: test-output/<test name>/."""
    root = Path(os.environ.get("ONEFIX_TEST_OUTPUT", Path(__file__).resolve().parent.parent / "test-output"))
    path = root / request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def role_groups(db):
    """The "Staff" and "Moderators" groups of accounts/migrations/0002_role_groups.py.

    A migration's rows are gone after any transactional test (live server, PostgreSQL
    races) has flushed the database; post_migrate makes the permissions again but not
    the groups. This puts them back with the migration's own function."""
    import importlib

    from django.apps import apps

    importlib.import_module("accounts.migrations.0002_role_groups").add_groups(apps)
