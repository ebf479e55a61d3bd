"""The knowledge base in the admin: look, filter, audit; change only through actions.

An article's text, slug, status and counters are kb.actions' (revisions, old slugs
that redirect, rendered HTML, the search index, emails on publish), so every field is
read-only here: text changes belong on /kb/<slug>/edit/, publish and archive are
admin actions that call kb.actions.
"""

from django.contrib import admin

from accounts import rules
from accounts.admin_tools import ActionOwnedAdmin, ReadOnlyInline, run_action
from forum.errors import ForumError
from kb import actions
from kb.models import Article, ArticleSlug, ArticleSource, HelpfulVote, Revision


class SourceInline(ReadOnlyInline):
    model = ArticleSource
    fields = ["thread", "post", "added_by", "created_at"]


class OldSlugInline(ReadOnlyInline):
    model = ArticleSlug
    fields = ["slug", "created_at"]


@admin.register(Article)
class ArticleAdmin(ActionOwnedAdmin):
    list_display = (
        "title",
        "status",
        "category",
        "helpful_count",
        "unhelpful_count",
        "view_count",
        "needs_review",
        "updated_at",
    )
    # needs_review and its evidence are kb.health's (read-only like every field here).
    list_filter = ("status", "needs_review", "category")
    list_select_related = ("category",)
    search_fields = ("title", "slug", "summary")
    inlines = [SourceInline, OldSlugInline]
    date_hierarchy = "updated_at"
    actions = ["publish", "archive"]

    def has_publish_permission(self, request) -> bool:
        return rules.may_write_articles(request.user)

    @admin.action(description="Publish (emails the source questions' followers)", permissions=["publish"])
    def publish(self, request, queryset):
        run_action(request, queryset, actions.publish, "Published {n} article(s).", (ForumError,))

    @admin.action(description="Archive (only staff see it)", permissions=["publish"])
    def archive(self, request, queryset):
        run_action(request, queryset, actions.archive, "Archived {n} article(s).", (ForumError,))


@admin.register(Revision)
class RevisionAdmin(ActionOwnedAdmin):
    # History is never rewritten; restoring makes a new revision (/kb/<slug>/history/).
    list_display = ("article", "number", "author", "created_at", "comment")
    search_fields = ("article__title", "comment")


@admin.register(HelpfulVote)
class HelpfulVoteAdmin(ActionOwnedAdmin):
    # Each vote is counted in the article's helpful/unhelpful counters.
    list_display = ("article", "helpful", "reason", "voter", "created_at")
    list_filter = ("helpful",)
    search_fields = ("article__title", "reason")
