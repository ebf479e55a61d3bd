"""The Celery application and the beat schedule.

Per-task policy (acks_late, reject_on_worker_lost, ignore_result, time limits)
is set globally in settings.py under CELERY_*, so every task inherits it.
"""

from __future__ import annotations

import os
import time

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("onefix")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_KEY = "onefix:celery:heartbeat"

# The whole beat schedule, in one place. Apps add their sweeps here.
app.conf.beat_schedule = {
    # Lets /healthz tell whether a worker is alive: beat queues it, a worker
    # stamps the time in the shared cache.
    "worker-heartbeat": {"task": "config.celery.heartbeat", "schedule": 10.0},
    # Re-sends outbox jobs (notifications, duplicate linking, fix fan-out) whose broker
    # message may have been lost, or whose last run failed (jobs/outbox.py).
    # Every 30 s: a job posted while the broker was down is sent within ~45 s of its
    # return (jobs.outbox.UNSENT_GRACE); one indexed query when there is nothing to do.
    "sweep-outbox": {"task": "jobs.tasks.sweep_outbox", "schedule": 30.0},
    # Gives back desk claims whose holder has not replied within DESK_CLAIM_RELEASE_HOURS,
    # and drops claims on solved or deleted threads (desk/actions.py, release_stale).
    "desk-release-stale-claims": {"task": "desk.tasks.release_stale_claims", "schedule": 600.0},
    # Spike alerts (desk/spikes.py, docs/insights.md): each cluster's, area's and tag's
    # last hour and day against its own baseline. Every 15 minutes: the slot the detector
    # counts in, so a spike alerts within one run (docs/insights.md, "Spike alerts").
    "desk-detect-spikes": {"task": "desk.tasks.detect_spikes", "schedule": 900.0},
    # The insights' per-day figures (desk/figures.py, docs/insights.md "Speed"): rebuilds
    # the last 8 finished days and the days of older questions that changed since its
    # last run. Every 10 minutes: a late reply shows on /desk/insights/ within that (the
    # day in progress is read live); a run reads a few thousand questions.
    "desk-refresh-daily-figures": {"task": "desk.tasks.refresh_daily_figures", "schedule": 600.0},
    # Repeated firefighting (desk/firefight.py, docs/insights.md): groups near-identical
    # staff replies on threads no published article covers, for the desk's "promote it"
    # nudge. Every 15 minutes: the desk reads the stored groups, never computes them.
    "desk-find-repeats": {"task": "desk.tasks.find_repeats", "schedule": 900.0},
    # The daily "Your claims still waiting" email to staff (desk/notifications.py). Checked
    # hourly rather than at one crontab moment: it goes out from DESK_REMINDER_HOUR in
    # DESK_TIME_ZONE (daylight saving included) even if beat was down at that hour, and
    # the outbox job's dedupe key (the date) keeps it to once a day.
    "desk-claim-reminders": {"task": "desk.tasks.queue_claim_reminders", "schedule": 3600.0},
    # The daily digest of customer emails set to "daily digest" (jobs/notices.py): hourly
    # for the same reasons, from NOTIFY_DIGEST_HOUR; dedupe key and send-once key: the date.
    "notice-digest": {"task": "jobs.tasks.queue_notice_digest", "schedule": 3600.0},
    # Thread view counts gathered in Redis, written to the database in one batch instead
    # of an UPDATE per page view (forum/views_counter.py).
    "flush-view-counts": {"task": "forum.tasks.flush_view_counts", "schedule": 30.0},
    # Solves the questions whose asker did not answer "Did this fix it?" within
    # FORUM_AUTO_SOLVE_DAYS of an official answer (forum/actions/solving.py, auto_solve).
    # Hourly: a day-long window needs no finer clock; idempotent and audited per question.
    "forum-auto-solve": {"task": "forum.tasks.auto_solve", "schedule": 3600.0},
    # Flags knowledge-base articles that are not working, with the evidence (kb/health.py,
    # docs/insights.md): the actions that change an input keep the flag at once; this run
    # notices time passing ("not reviewed for KB_REVIEW_DAYS") and what they did not see
    # (deleted or merged questions). Hourly: the slowest reason is counted in days.
    "kb-review-articles": {"task": "kb.tasks.review_articles", "schedule": 3600.0},
}


def _prepare_data_dir() -> str:
    """Create the folders the embedded broker and beat need; return beat's file."""
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)
    return str(settings.DATA_DIR / "celerybeat-schedule")


app.conf.beat_schedule_filename = _prepare_data_dir()


@app.task(name="config.celery.heartbeat", time_limit=10, soft_time_limit=8, acks_late=False)
def heartbeat() -> None:
    from django.core.cache import cache

    cache.set(HEARTBEAT_KEY, {"at": time.time(), "pid": os.getpid()}, timeout=3600)


@worker_ready.connect
def _stamp_on_start(**kwargs) -> None:
    """Answer /healthz as soon as a worker is up, not only at the first beat."""
    heartbeat.delay()
