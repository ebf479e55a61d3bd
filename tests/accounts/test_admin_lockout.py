"""The admin log-in locks out after repeated wrong passwords (issue 11: 60 wrong passwords
in a row were accepted as attempts, then the right one worked). django-axes does it."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

ADMIN_LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def admin_user(db):
    from accounts.models import User

    return User.objects.create_superuser(email="root@example.com", password=PASSWORD, display_name="Root")


def _try(client, password, ip="203.0.113.5", email="root@example.com"):
    return client.post(ADMIN_LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_admin_log_in_even_for_the_right_one(client, admin_user):
    codes = [_try(client, "wrong-password").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]  # the form again with its error, then the lock
    locked = _try(client, PASSWORD)
    assert locked.status_code == 429
    assert "stays locked for 1 hour, even with the right password" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_before_the_limit_signs_in(client, admin_user):
    for _ in range(4):
        _try(client, "wrong-password")
    response = _try(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_one_address_guessing_many_accounts_is_locked_out_too(client, admin_user):
    for n in range(5):
        _try(client, "wrong-password", email=f"guess{n}@example.com")
    assert _try(client, PASSWORD).status_code == 429


def test_the_site_s_own_log_in_is_not_locked_by_admin_failures(client, admin_user, alice):
    for _ in range(5):
        _try(client, "wrong-password")
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
