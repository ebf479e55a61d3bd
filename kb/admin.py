from django.contrib import admin

from kb.models import Article, ArticleSlug, ArticleSource, HelpfulVote, Revision


class SourceInline(admin.TabularInline):
    model = ArticleSource
    extra = 0
    raw_id_fields = ("thread", "post", "added_by")


class OldSlugInline(admin.TabularInline):
    model = ArticleSlug
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read and fix rows; text changes belong on /kb/<slug>/edit/, which keeps revisions."""

    list_display = (
        "title",
        "status",
        "category",
        "helpful_count",
        "unhelpful_count",
        "view_count",
        "updated_at",
    )
    list_filter = ("status", "category")
    search_fields = ("title", "slug", "summary")
    raw_id_fields = ("author", "current_revision")
    readonly_fields = ("body_html", "helpful_count", "unhelpful_count", "view_count", "created_at")
    inlines = [SourceInline, OldSlugInline]
    date_hierarchy = "updated_at"


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ("article", "number", "author", "created_at", "comment")
    search_fields = ("article__title", "comment")
    raw_id_fields = ("article", "author")
    readonly_fields = ("article", "number", "author", "created_at", "title", "summary", "body_md")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # history is never rewritten; restore makes a new revision instead


@admin.register(HelpfulVote)
class HelpfulVoteAdmin(admin.ModelAdmin):
    list_display = ("article", "helpful", "reason", "voter", "created_at")
    list_filter = ("helpful",)
    search_fields = ("article__title", "reason")
    raw_id_fields = ("article", "user")
