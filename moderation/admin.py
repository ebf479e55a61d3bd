"""Reports in the admin: look and filter; every decision is a moderation action (the
queue at /moderation/), so nothing here writes."""

from django.contrib import admin

from accounts.admin_tools import ActionOwnedAdmin, ReadOnlyInline
from moderation.models import Case, Report


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ["reporter", "reason", "note", "trusted", "created_at", "reviewed_at"]


@admin.register(Case)
class CaseAdmin(ActionOwnedAdmin):
    list_display = [
        "kind",
        "object_id",
        "open_reports",
        "open_trusted",
        "opened_at",
        "decision",
        "reviewed_at",
    ]
    list_filter = ["kind", "decision"]
    inlines = [ReportInline]
