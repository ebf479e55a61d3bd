"""gunicorn's settings for Onefix (`gunicorn -c python:config.gunicorn config.wsgi`).

Every value can be overridden from the environment (WEB_CONCURRENCY, WEB_THREADS, PORT,
...), as platforms that run a Procfile expect. The defaults suit a small machine:

- workers: WEB_CONCURRENCY, default 2 x CPUs + 1 (gunicorn's own advice) capped at 8;
  each worker holds one persistent database connection per thread (DB_CONN_MAX_AGE).
- threads: WEB_THREADS, default 1 (sync workers). Pages are CPU-bound templates, so
  threads help only while a request waits on PostgreSQL or Redis; raise it with care.
- timeout 30 s: a request still running then is killed and the worker replaced; the
  work is in a transaction (ATOMIC_REQUESTS is off, but every action is atomic), so
  nothing is half-written (docs/reliability.md).
- forwarded headers: trusted only from FORWARDED_ALLOW_IPS (default 127.0.0.1, the
  proxy in front on the same machine); with DEBUG off Django reads X-Forwarded-Proto
  (SECURE_PROXY_SSL_HEADER), so the proxy must set it and strip it from clients.
- access log to stdout in the combined format plus the request id, duration (us) and
  the anonymous cache's verdict (hit, miss, or - for a page it does not serve).
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{_int('PORT', 8000)}")
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("WEB_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("WEB_TIMEOUT", 30)
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 20)
keepalive = _int("WEB_KEEPALIVE", 5)
# A worker is replaced after this many requests (with jitter, so not all at once): a
# slow leak in any library cannot grow without bound.
max_requests = _int("WEB_MAX_REQUESTS", 2000)
max_requests_jitter = _int("WEB_MAX_REQUESTS_JITTER", 200)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
access_log_format = '%(h)s - %(u)s [%(t)s] "%(r)s" %(s)s %(B)s "%(f)s" "%(a)s" rid=%({x-request-id}o)s us=%(D)s cache=%({x-anon-cache}o)s'
proc_name = "onefix-web"
# gunicorn >= 25 opens a control socket for `gunicornc` by default, at one path for every
# gunicorn the user runs ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl, a home the systemd
# units make read-only). Off unless WEB_CONTROL_SOCKET names a path; HUP and TTIN/TTOU
# signals do the same work (deploy/README.md).
control_socket = os.environ.get("WEB_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


def on_starting(server):
    """prometheus_client's per-process files must start empty: counters a previous run
    left in PROMETHEUS_MULTIPROC_DIR would be added to this run's. systemd's
    RuntimeDirectory gives a fresh folder per start (deploy/onefix-web.service); this
    does the same where nothing else does (a Procfile platform, `make smoke`)."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    """With several workers, prometheus_client keeps one file of metrics per process in
    PROMETHEUS_MULTIPROC_DIR; a dead worker's live gauges are dropped here."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
