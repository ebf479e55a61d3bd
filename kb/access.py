"""Reads that depend on who is looking. Drafts and archived articles are 404 for
everyone but staff (never 403: a customer must not learn that a draft exists)."""

from __future__ import annotations

from django.http import Http404

from kb.models import Article, ArticleSlug


def access_article(user, slug: str) -> Article:
    article = (
        Article.objects.visible_to(user)
        .select_related("category", "author", "current_revision")
        .prefetch_related("tags")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404("No such article")
    return article


def moved_article(user, old_slug: str) -> Article | None:
    """The article that used to live at `old_slug`, if this user may see it."""
    old = ArticleSlug.objects.filter(slug=old_slug).values_list("article_id", flat=True).first()
    if old is None:
        return None
    return Article.objects.visible_to(user).filter(pk=old).only("pk", "slug").first()
