from django.contrib import admin

from duplicates.models import Cluster, ClusterMembership, DuplicateLink, Fix, ThreadMerge


# Duplicate linking. Decisions belong on the thread pages (they recompute clusters and
# fan out fixes); here staff can look, filter and audit.
@admin.register(DuplicateLink)
class DuplicateLinkAdmin(admin.ModelAdmin):
    list_display = ["id", "low", "high", "score", "method", "state", "decided_by", "decided_at"]
    list_filter = ["state", "method"]
    raw_id_fields = ["low", "high", "decided_by"]
    readonly_fields = ["low", "high", "score", "method", "state", "decided_by", "decided_at", "created_at"]


@admin.register(Fix)
class FixAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "thread", "title", "actor", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["thread", "post", "actor"]
    readonly_fields = ["key", "created_at"]


admin.site.register(Cluster, list_display=["id", "created_at"])
admin.site.register(
    ClusterMembership, list_display=["thread", "cluster"], raw_id_fields=["thread", "cluster"]
)
admin.site.register(
    ThreadMerge,
    list_display=["thread", "into", "merged_by", "merged_at"],
    raw_id_fields=["thread", "into", "merged_by"],
)
