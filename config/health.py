"""GET /healthz: is every part Onefix needs answering?"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import HEARTBEAT_KEY, app
from jobs.models import PendingJob


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


def _cache() -> bool:
    try:
        cache.set("onefix:healthz", "ok", timeout=30)
        return cache.get("onefix:healthz") == "ok"
    except Exception:
        return False


def _broker() -> bool:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def _worker_age() -> float | None:
    try:
        stamp = cache.get(HEARTBEAT_KEY)
    except Exception:
        return None
    if not isinstance(stamp, dict):
        return None
    return max(0.0, time.time() - float(stamp["at"]))


def _jobs_given_up() -> int | None:
    """Outbox jobs that failed JOBS_MAX_ATTEMPTS times: reported, not a failed check (the
    site still works; a person should read their last_error in the admin)."""
    try:
        return PendingJob.objects.given_up().count()
    except Exception:
        return None


@never_cache
@require_GET
def healthz(request):
    age = _worker_age()
    checks = {
        "database": _database(),
        "cache": _cache(),
        "broker": _broker(),
        "worker": age is not None and age <= settings.CELERY_WORKER_HEARTBEAT_MAX_AGE,
    }
    body = {
        "status": "ok" if all(checks.values()) else "fail",
        **checks,
        "worker_heartbeat_age_seconds": None if age is None else round(age, 1),
        "jobs_given_up": _jobs_given_up(),
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
