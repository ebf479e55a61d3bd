"""A small text progress bar for management commands (no dependency)."""

from __future__ import annotations

import time

from django.core.management.base import OutputWrapper


class ProgressBar:
    """`[#######.......]  52%  5,200/10,000 thread  1,830/s` on one line.

    On a terminal the line is redrawn in place; into a file or a pipe a full line
    is written every `every` items, so logs stay readable.
    """

    WIDTH = 30

    def __init__(self, stream, label: str, total: int | None = None, *, every: int = 5000):
        self.stream = stream
        self.label = label
        self.total = total
        self.done = 0
        self.every = every
        self.started = time.monotonic()
        isatty = getattr(stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self._reported = 0

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = f"{self.done / elapsed:,.0f}/s"
        if self.total:
            share = min(self.done / self.total, 1.0)
            filled = round(share * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            return f"[{bar}] {share:4.0%}  {self.done:,}/{self.total:,} {self.label}  {rate}"
        return f"{self.done:,} {self.label}  {rate}"

    def advance(self, n: int) -> None:
        self.done += n
        if self.tty:
            self._write("\r" + self.line())
        elif self.done - self._reported >= self.every:
            self._reported = self.done
            self._write(self.line() + "\n")

    def finish(self) -> None:
        self._write(("\r" if self.tty else "") + self.line() + "\n")

    def _write(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()
