"""Rate limits and lock-outs key on the real client, also behind a reverse proxy (issue 11)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from accounts.network import client_ip

LOGIN = "/accounts/login/"


def _request(remote="10.0.0.1", **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.9")) == "10.0.0.1"


def test_one_trusted_proxy_takes_the_address_it_appended(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the real one last.
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_a_request_that_bypassed_the_proxies_falls_back_to_the_socket(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.9")) == "10.0.0.1"


def test_a_named_client_ip_header_wins(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert client_ip(_request(HTTP_X_REAL_IP="198.51.100.7")) == "198.51.100.7"


def _failed_logins(ip: str, times: int) -> list[int]:
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=ip)
    return [
        client.post(LOGIN, {"login": f"nobody{i}@example.com", "password": "wrong-password"}).status_code
        for i in range(times)
    ]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_attacker_does_not_lock_out_everyone(settings):
    """On 0ab9dc8 every user behind the proxy shared its address, so one attacker's
    30 attempts locked everybody out of logging in."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = _failed_logins("203.0.113.66", 31)
    assert attacker[-1] == 429  # allauth's per-IP log-in limit reached for the attacker
    assert _failed_logins("198.51.100.20", 1) == [200]  # someone else behind the same proxy


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_does_not_escape_the_limit(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert _failed_logins("203.0.113.66", 31)[-1] == 429
    assert _failed_logins("198.51.100.20", 1) == [429]  # same socket address, same limit


def test_axes_gets_a_real_address_or_none():
    """PostgreSQL's inet column refused "unknown" when a test signed in without a request."""
    from accounts.network import client_ip_or_none

    assert client_ip_or_none(None) is None
    assert client_ip_or_none(RequestFactory().get("/", REMOTE_ADDR="")) is None
    assert client_ip_or_none(_request()) == "10.0.0.1"
