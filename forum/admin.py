from django.contrib import admin

from forum.models import Category, Follow, MeToo, Post, Revision, Tag, Thread


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class PostInline(admin.TabularInline):
    model = Post
    fields = ["author", "created_at", "is_official", "helpful_count", "is_deleted"]
    readonly_fields = ["author", "created_at", "helpful_count"]
    extra = 0
    show_change_link = True


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    # Counters and rendered HTML are kept by forum.actions; editing them here would desync them.
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
    list_filter = ["status", "is_locked", "is_deleted", "category"]
    search_fields = ["title", "body_md"]
    raw_id_fields = ["author", "accepted_post", "deleted_by", "locked_by"]
    readonly_fields = [
        "body_html", "answer_count", "me_too_count", "follower_count", "view_count",
        "first_staff_response_at", "created_at", "last_activity_at",
    ]  # fmt: skip
    inlines = [PostInline]
    date_hierarchy = "created_at"


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "is_official", "helpful_count", "is_deleted", "created_at"]
    list_filter = ["is_official", "is_deleted"]
    search_fields = ["body_md"]
    raw_id_fields = ["thread", "author", "official_by", "deleted_by"]
    readonly_fields = ["body_html", "helpful_count", "created_at"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "editor", "edited_at"]
    raw_id_fields = ["thread", "post", "editor"]


admin.site.register(MeToo, list_display=["user", "thread", "created_at"], raw_id_fields=["user", "thread"])
admin.site.register(Follow, list_display=["user", "thread", "created_at"], raw_id_fields=["user", "thread"])
