"""Reads behind the moderation pages, each in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Paginator

from audit.actions import description
from audit.models import AuditEntry
from moderation.models import Case, Report
from moderation.targets import Target, load_targets

QUEUE_PAGE_SIZE = 20
AUDIT_PAGE_SIZE = 50


@dataclass
class QueueItem:
    case: Case
    target: Target | None  # None: the post is gone (its thread was removed for good)
    reports: list[Report] = field(default_factory=list)

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """("Spam", 2), ("Personal data", 1): most given first."""
        counts = Counter(r.get_reason_display() for r in self.reports)
        return counts.most_common()

    @property
    def notes(self) -> list[Report]:
        return [r for r in self.reports if r.note]


def with_reports(cases: list[Case]) -> list[QueueItem]:
    """The posts and open reports of these cases: one query for the reports, one per kind."""
    targets = load_targets((c.kind, c.object_id) for c in cases)
    reports: dict[int, list[Report]] = {}
    open_reports = Report.objects.filter(case__in=[c.pk for c in cases], reviewed_at__isnull=True)
    for report in open_reports.select_related("reporter").order_by("created_at", "id"):
        reports.setdefault(report.case_id, []).append(report)
    return [QueueItem(c, targets.get((c.kind, c.object_id)), reports.get(c.pk, [])) for c in cases]


def queue_page(number):
    """A page of the queue: most reporters first, then the longest waiting."""
    page = Paginator(Case.objects.waiting(), QUEUE_PAGE_SIZE).get_page(number)
    page.items = with_reports(list(page.object_list))
    return page


def case_for(target: Target) -> QueueItem:
    """The case page: the post and its reports (open ones, then the ones already reviewed)."""
    case = Case.objects.filter(kind=target.kind, object_id=target.object_id).first()
    if case is None:
        return QueueItem(case=None, target=target)
    reports = list(case.reports.select_related("reporter").order_by("reviewed_at", "created_at", "id"))
    return QueueItem(case=case, target=target, reports=reports)


def reported_by(user, pairs) -> set[tuple[str, int]]:
    """Which of these (kind, id) posts `user` has reported: one query."""
    pairs = list(pairs)
    if not pairs:
        return set()
    kinds = {k for k, _ in pairs}
    ids = {i for _, i in pairs}
    rows = Report.objects.filter(reporter=user, case__kind__in=kinds, case__object_id__in=ids)
    found = set(rows.values_list("case__kind", "case__object_id"))
    return found & set(pairs)


def audit_entries(*, action="", actor=None, system=False, target_kind="", since=None, until=None):
    entries = AuditEntry.objects.select_related("actor")
    if action:
        entries = entries.filter(action=action)
    if system:
        entries = entries.filter(actor__isnull=True)
    elif actor is not None:
        entries = entries.filter(actor=actor)
    if target_kind:
        entries = entries.filter(target_kind=target_kind)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries.order_by("-created_at", "-id")


def audit_page(entries, number):
    """A page of entries, each with `label`: its action in words (audit.actions.describe)."""
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(number)
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.label = description(entry.action)
    return page
