"""The words for why an article needs review (kb/health.py decides; this says it).

Kept apart from kb.health so the model can word its stored reasons without importing
the module that imports it. A reason is a dict stored in Article.review_reasons."""

from __future__ import annotations

from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime

THREADS, VOTES, STALE = "threads", "votes", "stale"


def _day(value: str) -> str:
    when = parse_datetime(value)
    return dateformat.format(timezone.localtime(when), "j M Y") if when else "?"


def describe(reason: dict) -> str:
    """One stored reason in plain words, e.g. "helpful 6 of last 20 votes (30 %)"."""
    kind = reason.get("kind")
    if kind == THREADS:
        n = reason["count"]
        joined = f"{n} thread{'s' if n != 1 else ''} joined its cluster"
        return f"{joined} since it was published on {_day(reason['since'])}"
    if kind == VOTES:
        helpful, of = reason["helpful"], reason["of"]
        return f"helpful {helpful} of last {of} votes ({round(100 * helpful / of)} %)"
    if kind == STALE:
        return f"not reviewed since {_day(reason['since'])}"
    return "flagged for review"
