"""Push articles into the site search index, inside the caller's transaction.

Only published articles are public; drafts and archived ones stay in the index
as non-public so the team can still find them.
"""

from __future__ import annotations

from collections.abc import Iterator

from kb.models import Article
from search import index

KIND = "article"


def _with_index_data(queryset):
    return queryset.select_related("category").prefetch_related("tags")


def article_document(article: Article) -> index.SearchDocument:
    """Precondition: loaded through _with_index_data."""
    published = article.status == Article.Status.PUBLISHED
    return index.SearchDocument(
        kind=KIND,
        object_id=article.pk,
        title=article.title,
        body=f"{article.summary}\n\n{article.body_md}",
        tags=[t.name for t in article.tags.all()],
        url=article.get_absolute_url(),
        category=article.category.slug,
        category_name=article.category.name,
        is_public=published,
        solved=published,
        boost=index.BOOST_ARTICLE,
        created_at=article.published_at or article.created_at,
        updated_at=article.updated_at,
    )


def index_article(article_id: int) -> None:
    """(Re)index one article from its current row. Call inside the writing transaction."""
    article = _with_index_data(Article.objects.filter(pk=article_id)).first()
    if article is None:
        index.remove(KIND, article_id)
        return
    index.upsert(article_document(article))


def iter_documents() -> Iterator[index.SearchDocument]:
    for article in _with_index_data(Article.objects.order_by("pk")).iterator(chunk_size=500):
        yield article_document(article)


def count() -> int:
    return Article.objects.count()
