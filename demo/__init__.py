"""Demo content for `make run`: people, a Brightdesk help forum, its knowledge base and
the duplicate links between its threads.

Not an app: nothing of ours imports it but config's `load_demo` command (the
architecture test enforces that). Everything is written through the apps' actions,
as people would write it; `load()` then runs the jobs that shape what a page shows
(duplicate linking) and marks the email jobs done: nobody should be emailed about a
story that happened "last week".
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from demo import desk, duplicates, firefight, forum, history, kb, people, spikes
from duplicates.fixes import FIX_JOB
from forum.notifications import NOTIFY_JOB
from forum.topics import MATCH_JOB
from jobs.models import PendingJob
from kb.actions import PUBLISHED_JOB

# Jobs that only send email (answers, fixes reaching a cluster, articles published, new
# questions on followed topics).
EMAIL_JOBS = (NOTIFY_JOB, FIX_JOB, PUBLISHED_JOB, MATCH_JOB)


def load() -> dict[str, User]:
    """Load everything that is missing, in one transaction; return the people by key."""
    with transaction.atomic():
        # Only the jobs this load queues are the demo's: a second run on a live site
        # must not touch the site's own email.
        before = PendingJob.objects.aggregate(last=Max("pk"))["last"] or 0
        cast = people.load()
        forum.load(cast)
        kb.load(cast)
        ours = PendingJob.objects.filter(pk__gt=before)
        duplicates.load(cast, ours)
        desk.load(cast)
        history.load(cast)  # seven weeks for the insights page, before the spike judges its baseline
        spikes.load(cast)
        firefight.load(cast)
        duplicates.run_link_jobs(ours)  # the desk day's new questions, as asking queues them
        ours.waiting().filter(kind__in=EMAIL_JOBS).update(
            done_at=timezone.now(), last_error="demo data: not sent"
        )
    return cast
