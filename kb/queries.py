"""Reads behind the knowledge base's pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Value

from forum.models import Category, MeToo, Thread
from kb.models import Article, ArticleSource, HelpfulVote
from kb.text import TocEntry, table_of_contents

LIST_SIZE = 8
RELATED_SIZE = 5


def kb_home(user, *, staff: bool) -> dict:
    """Categories with published articles, the most helpful and the recently updated
    (and, for staff, the drafts waiting): 3 queries, 4 for staff.

    An article is listed once. "Most helpful" holds only articles with at least one
    helpful vote and comes first, so it wins; "Recently updated" shows the most recently
    updated of the others. Drafts and archived ones are never in the public lists."""
    published = Article.objects.published().for_list()
    most_helpful = list(published.found_helpful().most_helpful()[:LIST_SIZE])
    context = {
        "categories": list(
            Category.objects.annotate(
                article_count=Count("articles", filter=Q(articles__status=Article.Status.PUBLISHED))
            )
            .filter(article_count__gt=0)
            .order_by("position", "name")
        ),
        "most_helpful": most_helpful,
        "recently_updated": list(
            published.exclude(pk__in=[a.pk for a in most_helpful]).recently_updated()[:LIST_SIZE]
        ),
        "unpublished": [],
    }
    if staff:
        context["unpublished"] = list(
            Article.objects.exclude(status=Article.Status.PUBLISHED).for_list().recently_updated()[:20]
        )
    return context


def popular_articles(limit: int = 5) -> list[Article]:
    return list(Article.objects.published().for_list().most_helpful()[:limit])


def category_articles(category: Category):
    return Article.objects.published().filter(category=category).for_list().most_helpful()


@dataclass
class ArticlePage:
    article: Article
    sources: list[ArticleSource] = field(default_factory=list)
    attribution: ArticleSource | None = None
    threads_resolved: int = 0
    people_helped: int = 0
    related: list[Article] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    my_vote: HelpfulVote | None = None


def people_helped(thread_ids: list[int]) -> int:
    """Distinct askers and me-too voters of the threads: a person who asked one linked
    thread and said "me too" on another counts once. One query (SQL UNION drops repeats)."""
    if not thread_ids:
        return 0
    askers = Thread.objects.filter(pk__in=thread_ids).order_by().values_list("author_id", flat=True)
    voters = MeToo.objects.filter(thread_id__in=thread_ids).order_by().values_list("user_id", flat=True)
    return askers.union(voters).count()


def related_articles(article: Article, limit: int = RELATED_SIZE) -> list[Article]:
    """Published articles sharing tags (more shared first) or the category.
    Precondition: article.tags prefetched."""
    tag_ids = [t.pk for t in article.tags.all()]
    others = Article.objects.published().exclude(pk=article.pk).for_list()
    if tag_ids:
        others = others.filter(
            Q(category_id=article.category_id) | Q(tagged_items__tag_id__in=tag_ids)
        ).annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True))
    else:
        others = others.filter(category_id=article.category_id).annotate(shared=Value(0))
    return list(others.order_by("-shared", "-helpful_count", "-updated_at", "-id")[:limit])


def article_page(article: Article, voter: str | None) -> ArticlePage:
    """Everything the article page shows besides the article row: 3 queries (2 for an
    unpublished one, which claims no people helped), plus one for the visitor's own vote
    when we know who they are."""
    page = ArticlePage(article=article, toc=table_of_contents(article.body_html))
    page.sources = list(
        article.sources.filter(thread__is_deleted=False).select_related("thread", "post", "post__author")
    )
    page.attribution = next((s for s in page.sources if s.post is not None and not s.post.is_deleted), None)
    # Only a published article has resolved anything or helped anyone: a draft's linked
    # questions are what it will resolve (and the count costs no query then).
    if article.is_published:
        thread_ids = [s.thread_id for s in page.sources]
        page.threads_resolved = len(thread_ids)
        page.people_helped = people_helped(thread_ids)
    page.related = related_articles(article)
    if voter:
        page.my_vote = HelpfulVote.objects.filter(article=article, voter=voter).first()
    return page


def unhelpful_articles(limit: int = 50):
    """Articles by not-helpful votes, each with its latest reasons (2 queries)."""
    reasons = HelpfulVote.objects.filter(helpful=False).exclude(reason="").order_by("-created_at", "-id")
    return list(
        Article.objects.filter(unhelpful_count__gt=0)
        .for_list()
        .order_by("-unhelpful_count", "helpful_count", "-id")
        .prefetch_related(Prefetch("votes", queryset=reasons[:10], to_attr="reasons"))[:limit]
    )
