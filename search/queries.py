"""Reads for the staff deflection page."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from search.models import AskAttempt, SearchEntry

PERIODS = (7, 30, 90)
# An attempt that opened a suggestion counts as prevented only once the asker had
# this long to come back and post anyway.
SETTLE_TIME = dt.timedelta(hours=1)


def period_days(raw: str | None) -> int:
    try:
        days = int(raw or 30)
    except ValueError:
        return 30
    return days if days in PERIODS else 30


def deflection_report(days: int) -> dict:
    now = timezone.now()
    since = now - dt.timedelta(days=days)
    settled = now - SETTLE_TIME
    attempts = AskAttempt.objects.filter(created_at__gte=since)
    figures = attempts.aggregate(
        started=Count("id"),
        shown=Count("id", filter=Q(suggestions_shown__gt=0)),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        posted=Count("id", filter=Q(posted_at__isnull=False)),
        opened_and_posted=Count("id", filter=Q(opened_at__isnull=False, posted_at__isnull=False)),
        prevented=Count(
            "id", filter=Q(opened_at__isnull=False, posted_at__isnull=True, created_at__lt=settled)
        ),
        pending=Count("id", filter=Q(posted_at__isnull=True, created_at__gte=settled)),
    )
    shown = figures["shown"]
    figures["prevented_rate"] = round(100 * figures["prevented"] / shown) if shown else None
    top = list(
        attempts.filter(opened_at__isnull=False, posted_at__isnull=True, created_at__lt=settled)
        .values("opened_url")
        .annotate(n=Count("id"))
        .order_by("-n", "opened_url")[:10]
    )
    titles = dict(
        SearchEntry.objects.filter(url__in=[row["opened_url"] for row in top]).values_list("url", "title")
    )
    top_content = [
        {
            "url": row["opened_url"],
            "title": titles.get(row["opened_url"], row["opened_url"]),
            "count": row["n"],
        }
        for row in top
    ]
    return {"figures": figures, "top_content": top_content}
