"""Support hours: how much of a wait fell inside the team's working time.

Zendesk-style business hours: a thread asked on Friday evening has not waited 60 hours
by Monday morning, it has waited the hour or two of support time that passed. Written
"mon-fri 09:00-17:00; sat 10:00-14:00" in a time zone (settings DESK_SUPPORT_HOURS,
DESK_TIME_ZONE); an empty schedule means every hour counts, and the arithmetic is plain
subtraction. Daylight-saving changes are handled by converting each local opening to
UTC before subtracting.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_PART = re.compile(r"^\s*([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class SupportHours:
    def __init__(self, spec: str = "", tz: str = "UTC"):
        self.spec = spec.strip()
        self.tz = ZoneInfo(tz)
        # weekday -> [(start, end) as time]; None: all hours
        self.week: dict[int, list[tuple[time, time]]] | None = None
        if self.spec:
            self.week = {d: [] for d in range(7)}
            for part in self.spec.lower().split(";"):
                if not part.strip():
                    continue
                m = _PART.match(part)
                if not m or m.group(1) not in DAYS or (m.group(2) and m.group(2) not in DAYS):
                    raise ValueError(
                        f"support hours: can't read {part.strip()!r} (e.g. 'mon-fri 09:00-17:00')"
                    )
                first = DAYS.index(m.group(1))
                last = DAYS.index(m.group(2)) if m.group(2) else first
                start = time(int(m.group(3)), int(m.group(4)))
                end = (
                    time(23, 59, 59, 999999) if m.group(5) == "24" else time(int(m.group(5)), int(m.group(6)))
                )
                if end <= start:
                    raise ValueError(f"support hours: {part.strip()!r} ends before it starts")
                for d in range(first, last + 1):
                    self.week[d].append((start, end))
            if not any(self.week.values()):
                raise ValueError("support hours: no opening in the week")

    @property
    def all_hours(self) -> bool:
        return self.week is None

    def _openings(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's openings as UTC datetimes."""
        return [
            (
                datetime.combine(day, start, self.tz).astimezone(UTC),
                datetime.combine(day, end, self.tz).astimezone(UTC),
            )
            for start, end in self.week[day.weekday()]
        ]

    def seconds_between(self, start: datetime, end: datetime) -> float:
        """Support seconds from start to end (0 if end <= start)."""
        if end <= start:
            return 0.0
        if self.week is None:
            return (end - start).total_seconds()
        first = start.astimezone(self.tz).date() - timedelta(days=1)
        last = end.astimezone(self.tz).date() + timedelta(days=1)
        total = 0.0
        # Whole weeks in the middle cost one multiplication, not seven days of work each.
        span = (last - first).days
        if span > 21:
            weeks = (span - 14) // 7
            total += weeks * self._week_seconds()
            middle_from = first + timedelta(days=7)
            skip = (middle_from, middle_from + timedelta(days=7 * weeks))
        else:
            skip = None
        day = first
        while day <= last:
            if skip and skip[0] <= day < skip[1]:
                day = skip[1]
                continue
            for a, b in self._openings(day):
                lo, hi = max(a, start), min(b, end)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += timedelta(days=1)
        return total

    def _week_seconds(self) -> float:
        return sum(
            (datetime.combine(date.min, e) - datetime.combine(date.min, s)).total_seconds()
            for openings in self.week.values()
            for s, e in openings
        )

    def cutoff(self, now: datetime, seconds: float) -> datetime:
        """The latest moment t with seconds_between(t, now) >= seconds: a wait that began
        at or before t has reached `seconds` of support time by now."""
        if self.week is None:
            return now - timedelta(seconds=seconds)
        remaining = seconds
        day = now.astimezone(self.tz).date() + timedelta(days=1)
        for _ in range(3660):  # ten years of days: a schedule with openings ends long before
            for a, b in sorted(self._openings(day), reverse=True):
                b = min(b, now)
                if b <= a:
                    continue
                length = (b - a).total_seconds()
                if length >= remaining:
                    return b - timedelta(seconds=remaining)
                remaining -= length
            day -= timedelta(days=1)
        return datetime.min.replace(tzinfo=UTC)


@lru_cache(maxsize=8)
def _hours(spec: str, tz: str) -> SupportHours:
    return SupportHours(spec, tz)


def support_hours() -> SupportHours:
    from django.conf import settings

    return _hours(settings.DESK_SUPPORT_HOURS, settings.DESK_TIME_ZONE)
