import time

from django.core.cache import cache

from config.celery import HEARTBEAT_KEY


def test_healthz_is_503_when_no_worker_has_answered(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] is True
    assert body["cache"] is True
    assert body["broker"] is True
    assert body["worker"] is False


def test_healthz_is_200_after_a_recent_worker_heartbeat(client, db):
    cache.set(HEARTBEAT_KEY, {"at": time.time(), "pid": 1})
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_is_503_when_the_heartbeat_is_stale(client, db):
    cache.set(HEARTBEAT_KEY, {"at": time.time() - 3600, "pid": 1})
    assert client.get("/healthz").status_code == 503
