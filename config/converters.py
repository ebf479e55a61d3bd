"""URL converters registered for every app's URLconf (config.urls registers them first)."""

from __future__ import annotations


class IdConverter:
    """A database id: 1 to 18 digits. Longer numbers cannot be an id (64-bit ids stop at
    19 digits), and SQLite raised OverflowError on a 30-digit id, a 500; now the URL
    simply does not match and the answer is 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
