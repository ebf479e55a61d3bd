"""The desk's rows in the admin: claims and notes read-only (every write to them is an
action in desk.actions); teams are set up here (name, members, product areas)."""

from django.contrib import admin
from django.db.models import Count

from accounts.models import User
from desk.models import Claim, Note, RepeatGroup, SavedReply, Team


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(ReadOnly):
    list_display = ("thread", "holder", "team", "claimed_at")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """A team a claim can be handed to. Deleting one that holds claims is refused (hand
    them on or release them first); its claims are not edited here."""

    list_display = ("name", "member_count", "open_claims")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members", "areas")
    search_fields = ("name",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_members=Count("members", distinct=True), n_claims=Count("claims__item", distinct=True)
            )
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            kwargs["queryset"] = User.objects.filter(is_active=True, role=User.Role.STAFF).order_by(
                "display_name"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="members", ordering="n_members")
    def member_count(self, team) -> int:
        return team.n_members

    @admin.display(description="open claims", ordering="n_claims")
    def open_claims(self, team) -> int:
        return team.n_claims


@admin.register(Note)
class NoteAdmin(ReadOnly):
    list_display = ("thread", "author", "created_at")


@admin.register(SavedReply)
class SavedReplyAdmin(ReadOnly):
    list_display = ("title", "owner", "shared", "updated_at")


@admin.register(RepeatGroup)
class RepeatGroupAdmin(ReadOnly):
    """Kept by the beat job (desk.firefight.refresh); dismissed and promoted from the desk."""

    list_display = ("title", "thread_count", "last_at", "dismissed_at", "article")
    raw_id_fields = ("best_post", "article", "dismissed_by")
