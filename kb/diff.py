"""A readable line diff between two revisions (difflib).

Lines are returned as plain strings with a kind; the template escapes them, so a
revision's text can never become markup on the history page.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from kb.models import Revision

CONTEXT_LINES = 3


@dataclass
class DiffLine:
    kind: str  # "add", "del", "ctx" or "hunk"
    text: str


@dataclass
class FieldDiff:
    label: str
    lines: list[DiffLine]


def line_diff(old: str, new: str) -> list[DiffLine]:
    lines = []
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=CONTEXT_LINES)
    for line in diff:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("hunk", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("del", line[1:]))
        else:
            lines.append(DiffLine("ctx", line[1:]))
    return lines


def diff_revisions(old: Revision, new: Revision) -> list[FieldDiff]:
    """The fields that differ, each as a line diff; [] when the texts are the same."""
    out = []
    for label, name in (("Title", "title"), ("Summary", "summary"), ("Body", "body_md")):
        lines = line_diff(getattr(old, name), getattr(new, name))
        if lines:
            out.append(FieldDiff(label, lines))
    return out
