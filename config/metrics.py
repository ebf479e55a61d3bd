"""GET /metrics: Prometheus's view of Onefix, for the monitoring system only.

- Requests by view and status, latency histograms, database and cache calls:
  django-prometheus's middleware and its exporter (`django_http_*`, `django_db_*`).
- The jobs outbox, read from its rows at scrape time (`onefix_jobs_*`): jobs waiting
  and given up by kind, the age of the oldest waiting one, and each Celery queue's depth
  in the broker.

Not public: the view answers 404 (as if it did not exist) unless the request carries
`Authorization: Bearer <METRICS_TOKEN>` or comes from an address in METRICS_ALLOWED_IPS
(REMOTE_ADDR: the scraper connects to gunicorn directly, not through the proxy). With
neither set, nobody can read it.

Several gunicorn workers: set PROMETHEUS_MULTIPROC_DIR (an empty folder, per start) and
each worker writes its figures there; the exporter adds them up (config/gunicorn.py
drops a dead worker's gauges).
"""

from __future__ import annotations

import hmac
import os
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from jobs.models import PendingJob


def allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].encode(), token.encode()):
        return True
    return request.META.get("REMOTE_ADDR", "") in settings.METRICS_ALLOWED_IPS


@never_cache
@require_GET
def metrics(request):
    if not allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # every worker's request figures
        registry.register(JobsCollector())
    else:
        registry = REGISTRY  # JobsCollector registered there by register()
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def queue_depths() -> dict[str, int]:
    """Messages waiting in each Celery queue of the broker (not yet taken by a worker)."""
    names = [q.name for q in settings.CELERY_TASK_QUEUES]
    if settings.CELERY_BROKER_URL.startswith("redis"):
        from config.celery import app

        with app.connection_for_read() as conn:
            client = conn.default_channel.client
            return {name: int(client.llen(name)) for name in names}
    folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", ""))
    depth = dict.fromkeys(names, 0)
    if folder.is_dir():
        # the filesystem transport names each message file after its queue: "<ts>_<uuid>.<queue>.msg"
        for path in folder.glob("*.msg"):
            queue = path.name.rsplit(".", 2)[-2] if path.name.count(".") >= 2 else ""
            if queue in depth:
                depth[queue] += 1
    return depth


class JobsCollector:
    """The outbox's state, read when Prometheus scrapes (two small queries and the broker)."""

    def describe(self):
        """The names, without reading anything (the registry asks when registering)."""
        return self._families()

    def _families(self):
        return [
            GaugeMetricFamily(
                "onefix_jobs_waiting", "Outbox jobs not done and still being tried, by kind", labels=["kind"]
            ),
            GaugeMetricFamily(
                "onefix_jobs_given_up", "Outbox jobs given up after JOBS_MAX_ATTEMPTS runs, by kind",
                labels=["kind"],
            ),
            GaugeMetricFamily(
                "onefix_jobs_oldest_waiting_seconds", "Age of the oldest waiting job, by kind", labels=["kind"]
            ),
            GaugeMetricFamily("onefix_queue_depth", "Messages waiting in the broker, by Celery queue",
                              labels=["queue"]),
        ]  # fmt: skip

    def collect(self):
        waiting, given_up, oldest, depth = self._families()
        try:
            now = timezone.now()
            for row in (
                PendingJob.objects.waiting().values("kind").annotate(n=Count("pk"), first=Min("created_at"))
            ):
                waiting.add_metric([row["kind"]], row["n"])
                oldest.add_metric([row["kind"]], max(0.0, (now - row["first"]).total_seconds()))
            for row in PendingJob.objects.given_up().values("kind").annotate(n=Count("pk")):
                given_up.add_metric([row["kind"]], row["n"])
        except Exception:  # noqa: S110 - a scrape must answer even with the database down
            pass
        try:
            for queue, n in queue_depths().items():
                depth.add_metric([queue], n)
        except Exception:  # noqa: S110 - nor with the broker down
            pass
        yield from (waiting, given_up, oldest, depth)


_registered = False


def register() -> None:
    """Once per process (config.apps.ready); in multiprocess mode the view adds it."""
    global _registered
    if not _registered and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        REGISTRY.register(JobsCollector())
        _registered = True
