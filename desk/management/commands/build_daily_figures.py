"""Build the insights' per-day figures (desk/figures.py) for a range of days: the
backfill after installing, after changing DESK_TIME_ZONE, or to redo a range by hand.
The beat job keeps the recent days; this builds any others. Safe while the site serves:
each month of days is replaced in its own transaction, and running it twice changes
nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Min
from django.utils import timezone

from desk import figures
from forum.models import Thread
from search.models import AskAttempt


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from error


class Command(BaseCommand):
    help = "Build the insights' per-day figures, by default from the first question to yesterday."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", type=_day, help="First day (YYYY-MM-DD, DESK_TIME_ZONE); default: the first question's"
        )
        parser.add_argument(
            "--until", type=_day, help="Last day; default: yesterday (today is always read live)"
        )

    def handle(self, *args, since: date | None = None, until: date | None = None, **options):
        now = timezone.now()
        yesterday = now.astimezone(figures.zone()).date() - timedelta(days=1)
        if since is None:
            firsts = [
                Thread.objects.aggregate(at=Min("created_at"))["at"],
                AskAttempt.objects.aggregate(at=Min("created_at"))["at"],
            ]
            firsts = [at for at in firsts if at is not None]
            since = min(firsts).astimezone(figures.zone()).date() if firsts else yesterday
        until = min(until or yesterday, yesterday)
        built = figures.build_all(since, until, now)
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"Built the figures of {built} days ({since} to {until}).")
