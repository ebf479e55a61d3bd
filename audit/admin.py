from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by actions and never edited."""

    list_display = ("created_at", "actor", "actor_role", "action", "target_kind", "target_label", "reason")
    list_filter = ("action", "actor_role", "target_kind")
    search_fields = ("target_label", "reason", "action")
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
