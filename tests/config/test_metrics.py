"""/metrics for the monitoring system only, request ids in every log line, JSON logs
(issue 14, item 5)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from jobs.models import PendingJob
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "s3cret-scraper-token"
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": TOKEN}],
    ids=["no token", "wrong token", "not a bearer"],
)
@override_settings(METRICS_TOKEN=TOKEN, METRICS_ALLOWED_IPS=[])
def test_metrics_are_not_found_without_the_token(client, headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 404
    assert b"django_http" not in response.content


@override_settings(METRICS_TOKEN="", METRICS_ALLOWED_IPS=[])
def test_nobody_reads_metrics_when_nothing_is_configured(client):
    staff = make_user("staff@example.com", "Staff", role="staff")
    client.force_login(staff)  # not a question of role: staff see no figures here either
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@override_settings(METRICS_TOKEN="", METRICS_ALLOWED_IPS=["10.1.2.3"])
def test_an_allowed_address_reads_metrics(client):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.4").status_code == 404


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_count_requests_by_view_and_status_and_the_outbox_by_kind(client):
    assert client.get("/questions/").status_code == 200
    assert client.get("/questions/999999/no-such-question/").status_code == 404
    now = timezone.now()
    PendingJob.objects.create(kind="link", payload={}, created_at=now - timedelta(minutes=5))
    PendingJob.objects.create(kind="link", payload={})
    PendingJob.objects.create(kind="mail", payload={}, attempts=99)  # given up
    PendingJob.objects.create(kind="mail", payload={}, done_at=now)  # done: not counted

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    text = response.content.decode()
    assert re.search(
        r'django_http_responses_total_by_status_view_method_total\{method="GET",status="200",'
        r'view="forum:list"\} [1-9]',
        text,
    ), text[:3000]
    assert re.search(r'django_http_responses_total_by_status_view_method_total\{[^}]*status="404"', text)
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert 'onefix_jobs_waiting{kind="link"} 2.0' in text
    assert 'onefix_jobs_given_up{kind="mail"} 1.0' in text
    assert 'onefix_jobs_waiting{kind="mail"}' not in text
    oldest = float(re.search(r'onefix_jobs_oldest_waiting_seconds\{kind="link"\} ([0-9.e+]+)', text).group(1))
    assert 299 <= oldest < 400
    assert re.search(r'onefix_queue_depth\{queue="celery"\} \d', text)
    assert response["Cache-Control"].startswith("max-age=0")


def test_every_response_carries_a_request_id(client):
    first = client.get("/questions/")["X-Request-ID"]
    second = client.get("/questions/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second
    # the proxy's id is kept, so one id follows the request through both logs
    sent = "6f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert client.get("/questions/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent
    # text that is not an id is not written into the logs
    forged = client.get("/questions/", HTTP_X_REQUEST_ID="evil\nFAKE LOG LINE")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_json_logs_carry_the_request_id(tmp_path):
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/no-such-page-for-the-log-test/')\n"
        "print('RID=' + r['X-Request-ID'])\n"
    )
    env = {**os.environ, "LOG_FORMAT": "json", "ONEFIX_DATA_DIR": str(tmp_path), "DEBUG": "true"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    rid = re.search(r"RID=([0-9a-f]{32})", done.stdout).group(1)
    records = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    not_found = [r for r in records if "no-such-page-for-the-log-test" in r.get("message", "")]
    assert not_found, done.stderr
    assert not_found[0]["request_id"] == rid
    assert not_found[0]["level"] == "WARNING" and not_found[0]["logger"] == "django.request"


def test_an_unknown_log_format_is_refused():
    env = {**os.environ, "LOG_FORMAT": "xml"}
    done = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
         "django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "LOG_FORMAT must be text or json" in done.stderr
