"""Shared helpers of the duplicate-linking tests: similar threads (run the jobs with
tests.jobs_helpers.run_pending)."""

from __future__ import annotations

from forum import actions

PRINTER = (
    "Printer shows offline after the firmware update",
    "Since installing firmware 3.1 my LaserJet printer shows offline on Windows and nothing prints.",
)
PRINTER_AGAIN = (
    "LaserJet printer offline since firmware update",
    "After the firmware update the printer is offline and every print job waits forever.",
)
UNRELATED = (
    "How do I change my billing address",
    "I moved house and the invoices still go to the old street address.",
)


def ask(author, category, text, tags=("printing",), **kwargs):
    title, body = text
    return actions.create_thread(author, title, body, category, list(tags), **kwargs)
