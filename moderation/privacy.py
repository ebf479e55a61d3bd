"""What moderation holds about a person, for accounts.privacy: their reports (exported;
the notes they wrote erased with the account, the reports themselves kept so the
counts a moderator saw stay true) and the cases they reviewed."""

from __future__ import annotations

from accounts.privacy import iso
from moderation.models import Case, Report


def export_reports(user) -> list[dict]:
    return [
        {"kind": r.case.kind, "object_id": r.case.object_id, "reason": r.reason, "note": r.note,
         "created_at": iso(r.created_at), "reviewed_at": iso(r.reviewed_at)}
        for r in Report.objects.filter(reporter=user).select_related("case").order_by("pk")
    ]  # fmt: skip


def export_reviews(user) -> list[dict]:
    return [
        {"kind": c.kind, "object_id": c.object_id, "decision": c.decision, "reviewed_at": iso(c.reviewed_at)}
        for c in Case.objects.filter(reviewed_by=user).order_by("pk")
    ]  # fmt: skip


EXPORTS = {
    "moderation.Report.reporter": export_reports,
    "moderation.Case.reviewed_by": export_reviews,
}


def erase(user) -> None:
    Report.objects.filter(reporter=user).update(note="")
