"""How a rate limit is written: "<scope> <count>/<period>", several separated by commas.

Kept apart from config/ratelimits.py (the middleware) because settings.py parses the
limits while Django is still starting, before any model can be imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCOPES = ("account", "new", "ip", "ip-target")
_LIMIT = re.compile(r"^\s*(account|new|ip|ip-target)\s+(\d+/\d*[smhd])\s*$")
_PERIODS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400}


@dataclass(frozen=True)
class Limit:
    scope: str
    rate: str

    @property
    def count(self) -> int:
        return int(self.rate.split("/", 1)[0])

    @property
    def seconds(self) -> int:
        multiplier, unit = re.fullmatch(r"\d+/(\d*)([smhd])", self.rate).groups()
        return int(multiplier or 1) * _PERIODS[unit]


def parse(text: str) -> tuple[Limit, ...]:
    """ "account 20/d, new 3/d" -> (Limit("account", "20/d"), Limit("new", "3/d"))."""
    limits = []
    for part in filter(str.strip, text.split(",")):
        match = _LIMIT.match(part)
        if not match:
            raise ValueError(f"not a rate limit: {part.strip()!r} (write e.g. 'account 20/d' or 'ip 1/15s')")
        limits.append(Limit(match.group(1), match.group(2)))
    return tuple(limits)
