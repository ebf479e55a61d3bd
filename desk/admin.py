"""The desk's rows in the admin: read-only (every write is an action in desk.actions)."""

from django.contrib import admin

from desk.models import Claim, Note


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(ReadOnly):
    list_display = ("thread", "holder", "claimed_at")


@admin.register(Note)
class NoteAdmin(ReadOnly):
    list_display = ("thread", "author", "created_at")
