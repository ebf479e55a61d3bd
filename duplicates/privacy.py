"""Duplicate-linking rows that name a person (all team actions), for accounts.privacy's
export. Nothing here is erased: the decisions stay, their actor becomes "a former member"."""

from __future__ import annotations

from duplicates.models import DuplicateLink, Fix, ThreadMerge


def _rows(model, field, *values):
    def export(user) -> list[dict]:
        return list(model.objects.filter(**{field: user}).order_by("pk").values("pk", *values))

    return export


EXPORTS = {
    "duplicates.DuplicateLink.decided_by": _rows(DuplicateLink, "decided_by", "state"),
    "duplicates.Fix.actor": _rows(Fix, "actor", "kind"),
    "duplicates.ThreadMerge.merged_by": _rows(ThreadMerge, "merged_by"),
}
