"""Duplicate links, clusters, fixes and merges in the admin: look, filter, audit.

Every row here is written by duplicates' actions (a decision recomputes clusters and
fans out fixes; a merge moves answers and people), so all fields are read-only;
confirming or rejecting a link is an admin action that calls them.
"""

from django.contrib import admin

from accounts import rules
from accounts.admin_tools import ActionOwnedAdmin, run_action
from duplicates import clusters
from duplicates.models import Cluster, ClusterMembership, DuplicateLink, Fix, ThreadMerge
from forum.errors import ForumError


@admin.register(DuplicateLink)
class DuplicateLinkAdmin(ActionOwnedAdmin):
    list_display = ["id", "low", "high", "score", "method", "state", "decided_by", "decided_at"]
    list_filter = ["state", "method"]
    list_select_related = ["low", "high", "decided_by"]
    actions = ["confirm", "reject"]

    def has_decide_permission(self, request) -> bool:
        return rules.may_decide_any_link(request.user)

    @admin.action(description="Confirm: the same problem", permissions=["decide"])
    def confirm(self, request, queryset):
        run_action(
            request,
            queryset,
            lambda link, by: clusters.confirm_link(link.pk, by),
            "Confirmed {n} link(s).",
            (ForumError,),
        )

    @admin.action(description="Reject: not the same problem", permissions=["decide"])
    def reject(self, request, queryset):
        run_action(
            request,
            queryset,
            lambda link, by: clusters.reject_link(link.pk, by),
            "Rejected {n} link(s).",
            (ForumError,),
        )


@admin.register(Fix)
class FixAdmin(ActionOwnedAdmin):
    list_display = ["id", "kind", "thread", "title", "actor", "created_at"]
    list_filter = ["kind"]


@admin.register(Cluster)
class ClusterAdmin(ActionOwnedAdmin):
    list_display = ["id", "created_at"]


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(ActionOwnedAdmin):
    list_display = ["thread", "cluster"]


@admin.register(ThreadMerge)
class ThreadMergeAdmin(ActionOwnedAdmin):
    list_display = ["thread", "into", "merged_by", "merged_at"]
