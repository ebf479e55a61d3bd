from django.contrib import admin

from jobs.models import NotificationSent, PendingJob


class StateFilter(admin.SimpleListFilter):
    """Waiting, done, or given up (not done after JOBS_MAX_ATTEMPTS: needs a person)."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("waiting", "Waiting"), ("done", "Done"), ("given_up", "Given up")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.waiting()
        if self.value() == "done":
            return queryset.done()
        if self.value() == "given_up":
            return queryset.given_up()
        return queryset


@admin.register(PendingJob)
class PendingJobAdmin(admin.ModelAdmin):
    """Look and filter; the outbox writes every field (jobs/outbox.py)."""

    list_display = ["id", "kind", "created_at", "sent_at", "done_at", "attempts", "given_up"]
    list_filter = [StateFilter, "kind"]
    readonly_fields = [
        "kind", "payload", "dedupe_key", "created_at", "sent_at", "done_at", "attempts", "last_error",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(boolean=True, description="given up")
    def given_up(self, job: PendingJob) -> bool:
        return job.given_up


@admin.register(NotificationSent)
class NotificationSentAdmin(admin.ModelAdmin):
    """Who was told about what: written by send_once, read here."""

    list_display = ["user", "event_key", "sent_at"]
    readonly_fields = ["user", "event_key", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False
