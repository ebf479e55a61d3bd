"""The forum in the admin: look, filter, audit; change only through actions.

Every field of a thread or answer is an action's (text and its rendered HTML and
masking, status, lock, deletion, accepted and official answers, counters, the search
index), so all are read-only here, and the changes that matter are admin actions that
call forum.actions — who may run each is accounts.rules' to say.
"""

from django.contrib import admin

from accounts import rules
from accounts.admin_tools import ActionOwnedAdmin, ReadOnlyInline, run_action
from forum import actions
from forum.errors import ForumError
from forum.models import Category, Comment, Follow, MeToo, Post, Revision, Tag, Thread


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    # Set up by superusers; no action owns a category (yet). Renaming one leaves the old
    # name on search results until `manage.py rebuild_search_index`.
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(ActionOwnedAdmin):
    # Made by the actions from what people type (normalize_tags); names are in the search index.
    list_display = ["name", "slug"]
    search_fields = ["name"]


class PostInline(ReadOnlyInline):
    model = Post
    fields = ["author", "created_at", "is_official", "helpful_count", "is_deleted"]
    show_change_link = True


class ModerationActions:
    """Lock and delete through the actions; offered to those accounts.rules allows."""

    def has_lock_permission(self, request) -> bool:
        return rules.may_lock(request.user)

    def has_moderate_permission(self, request) -> bool:
        return rules.may_delete(request.user)


@admin.register(Thread)
class ThreadAdmin(ModerationActions, ActionOwnedAdmin):
    list_display = [
        "title",
        "category",
        "author",
        "status",
        "is_locked",
        "is_deleted",
        "answer_count",
        "me_too_count",
        "created_at",
    ]
    list_filter = ["status", "linked_fix", "is_locked", "is_deleted", "category"]
    list_select_related = ["category", "author"]
    search_fields = ["title", "body_md"]
    inlines = [PostInline]
    date_hierarchy = "created_at"
    actions = ["lock", "unlock", "delete", "restore"]

    @admin.action(description="Lock: take no new answers", permissions=["lock"])
    def lock(self, request, queryset):
        run_action(request, queryset, actions.lock_thread, "Locked {n} thread(s).", (ForumError,))

    @admin.action(description="Unlock", permissions=["lock"])
    def unlock(self, request, queryset):
        run_action(request, queryset, actions.unlock_thread, "Unlocked {n} thread(s).", (ForumError,))

    @admin.action(description="Delete (hidden, restorable)", permissions=["moderate"])
    def delete(self, request, queryset):
        run_action(request, queryset, actions.delete_thread, "Deleted {n} thread(s).", (ForumError,))

    @admin.action(description="Restore", permissions=["moderate"])
    def restore(self, request, queryset):
        run_action(request, queryset, actions.restore_thread, "Restored {n} thread(s).", (ForumError,))


@admin.register(Post)
class PostAdmin(ModerationActions, ActionOwnedAdmin):
    list_display = ["__str__", "author", "is_official", "helpful_count", "is_deleted", "created_at"]
    list_filter = ["is_official", "is_deleted"]
    list_select_related = ["thread", "author"]
    search_fields = ["body_md"]
    actions = ["delete", "restore"]

    @admin.action(description="Delete (hidden, restorable)", permissions=["moderate"])
    def delete(self, request, queryset):
        run_action(request, queryset, actions.delete_post, "Deleted {n} answer(s).", (ForumError,))

    @admin.action(description="Restore", permissions=["moderate"])
    def restore(self, request, queryset):
        run_action(request, queryset, actions.restore_post, "Restored {n} answer(s).", (ForumError,))


@admin.register(Comment)
class CommentAdmin(ModerationActions, ActionOwnedAdmin):
    # The role groups (accounts/migrations/0002_role_groups.py) predate comments: superusers
    # see this list; moderators work comments from the thread page and the report queue.
    list_display = ["__str__", "author", "created_at", "is_deleted"]
    list_filter = ["is_deleted"]
    list_select_related = ["author"]
    search_fields = ["body_md"]
    actions = ["delete", "restore"]

    @admin.action(description="Delete (hidden, restorable)", permissions=["moderate"])
    def delete(self, request, queryset):
        run_action(request, queryset, actions.delete_comment, "Deleted {n} comment(s).", (ForumError,))

    @admin.action(description="Restore", permissions=["moderate"])
    def restore(self, request, queryset):
        run_action(request, queryset, actions.restore_comment, "Restored {n} comment(s).", (ForumError,))


@admin.register(Revision)
class RevisionAdmin(ActionOwnedAdmin):
    list_display = ["__str__", "editor", "edited_at"]


@admin.register(MeToo)
class MeTooAdmin(ActionOwnedAdmin):
    list_display = ["user", "thread", "created_at"]  # each row is counted in thread.me_too_count


@admin.register(Follow)
class FollowAdmin(ActionOwnedAdmin):
    list_display = ["user", "thread", "created_at"]  # each row is counted in thread.follower_count
