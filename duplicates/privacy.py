"""Duplicate-linking rows that name a person (all team actions), for accounts.privacy's
export. Nothing here is erased: the decisions stay, their actor becomes "a former member"."""

from __future__ import annotations

from accounts.privacy import rows
from duplicates.models import DuplicateLink, Fix, ThreadMerge

EXPORTS = {
    "duplicates.DuplicateLink.decided_by": rows(DuplicateLink, "decided_by", "state"),
    "duplicates.Fix.actor": rows(Fix, "actor", "kind"),
    "duplicates.ThreadMerge.merged_by": rows(ThreadMerge, "merged_by"),
}
