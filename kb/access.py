"""Reads that depend on who is looking. Drafts and archived articles are 404 for
everyone but staff (never 403: a customer must not learn that a draft exists)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import rules
from forum.access import access_post
from forum.models import Post
from kb.models import Article, ArticleSlug

STAFF_ONLY = "Only staff can do this in the knowledge base."


def require_writer(user) -> None:
    """403 for anyone who may not write articles (the staff pages with no article)."""
    if not rules.may_write_articles(user):
        raise PermissionDenied(STAFF_ONLY)


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


def access_article_for_staff(user, slug: str) -> Article:
    """An article to change: 404 first (drafts stay secret), then 403 for non-staff."""
    article = access_article(user, slug)
    require_writer(user)
    return article


def access_post_to_promote(user, post_id: int) -> Post:
    """An answer to promote: 403 for non-staff, then the forum's own 404 rules."""
    require_writer(user)
    return access_post(user, post_id)


def moved_article(user, old_slug: str) -> Article | None:
    """The article that used to live at `old_slug`, if this user may see it."""
    old = ArticleSlug.objects.filter(slug=old_slug).values_list("article_id", flat=True).first()
    if old is None:
        return None
    return Article.objects.visible_to(user).filter(pk=old).only("pk", "slug").first()
