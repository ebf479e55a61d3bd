"""Redis away: the site still reads and writes (config/cache.py; issue 14, faults).

The cache points at a port where nothing listens: a real refused connection on every
cache call, no mock."""

from __future__ import annotations

import socket

import pytest
import redis
from django.test import Client

from forum.models import Post, Thread


def _dead_redis() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # closed again: connections are refused


@pytest.fixture
def redis_away(settings):
    settings.CACHES = {"default": {"BACKEND": "config.cache.TolerantRedisCache", "LOCATION": _dead_redis()}}
    settings.ANON_CACHE_SECONDS = 60
    settings.RATELIMIT_ENABLE = True


def test_pages_answers_and_view_counts_work_while_redis_is_away(redis_away, thread, dave_client):
    url = thread.get_absolute_url()
    for _ in range(2):
        response = Client().get(url)
        assert response.status_code == 200
        assert "X-Anon-Cache" in response  # tried the cache, found nothing, served the view
    assert Thread.objects.get(pk=thread.pk).view_count == 2  # counted without Redis

    posted = dave_client.post(f"/questions/{thread.pk}/answer/", {"body": "Reinstalling fixed it for me."})
    assert posted.status_code == 302  # rate limits counted nothing, refused nothing
    assert Post.objects.filter(thread=thread, body_md="Reinstalling fixed it for me.").exists()
    assert Client().get("/").status_code == 200


def test_djangos_own_redis_cache_would_fail_the_page(settings, thread):
    """Why config.cache exists: the stock backend turns a Redis outage into errors."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _dead_redis()}
    }
    settings.ANON_CACHE_SECONDS = 60
    with pytest.raises(redis.exceptions.ConnectionError):
        Client().get(thread.get_absolute_url())
