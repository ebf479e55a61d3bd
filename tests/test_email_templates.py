"""Emails' subjects and plain-text bodies are plain text: Django's HTML autoescaping
must not turn a title's "Q&A" into "Q&amp;A" there (the HTML bodies stay escaped)."""

from __future__ import annotations

from pathlib import Path

import pytest

EMAILS = Path(__file__).resolve().parent.parent / "templates" / "emails"
PLAIN = sorted([*EMAILS.glob("*-subject.txt"), *EMAILS.glob("*-body.txt")])


def test_there_are_plain_text_email_templates():
    assert len(PLAIN) >= 14


@pytest.mark.parametrize("path", PLAIN, ids=lambda p: p.name)
def test_every_subject_and_plain_text_body_turns_autoescape_off(path):
    text = path.read_text(encoding="utf-8").strip()
    assert text.startswith("{% autoescape off %}") and text.endswith("{% endautoescape %}")
