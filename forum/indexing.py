"""Push threads into the site search index (search.index), inside the caller's transaction.

A thread's document is its title, its question and its answers' text (official
and accepted ones first, so the text that fixed it weighs in), its tags and
category. Deleted threads stay in the index as non-public (the team can still
find them); everyone else never sees them.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from forum.models import Post, Thread
from search import index

KIND = "thread"
# Answers beyond this much text add little to finding the thread and slow the index.
BODY_LIMIT = 30_000


def _boost(thread: Thread, answers: list[Post]) -> float:
    """The rank prior: a question with the fix (solved, or an official answer) over one
    with answers over an unanswered one. By the answers, not by the status words: a
    question waiting for staff may have answers, and an official answer is the fix
    whether or not its asker has said so yet."""
    if thread.status == Thread.Status.SOLVED or any(p.is_official for p in answers):
        return index.BOOST_SOLVED
    return index.BOOST_ANSWERED if answers else index.BOOST_UNANSWERED


def _with_index_data(queryset):
    answers = Post.objects.visible().order_by("-is_official", "-helpful_count", "created_at", "id")
    return queryset.select_related("category").prefetch_related(
        "tags", Prefetch("posts", queryset=answers, to_attr="index_answers")
    )


def thread_document(thread: Thread) -> index.SearchDocument:
    """Precondition: thread loaded through _with_index_data (tags and index_answers prefetched)."""
    answers = sorted(thread.index_answers, key=lambda p: p.pk != thread.accepted_post_id)
    parts = [thread.body_md, *(p.body_md for p in answers)]
    body = "\n\n".join(parts)[:BODY_LIMIT]
    return index.SearchDocument(
        kind=KIND,
        object_id=thread.pk,
        title=thread.title,
        body=body,
        tags=[t.name for t in thread.tags.all()],
        url=thread.get_absolute_url(),
        category=thread.category.slug,
        category_name=thread.category.name,
        is_public=not thread.is_deleted,
        solved=thread.status == Thread.Status.SOLVED,
        status=thread.status,
        status_label=thread.get_status_display(),
        boost=_boost(thread, answers),
        created_at=thread.created_at,
        updated_at=thread.last_activity_at,
    )


def index_thread(thread_id: int) -> None:
    """(Re)index one thread from its current rows. Call inside the writing transaction."""
    thread = _with_index_data(Thread.objects.filter(pk=thread_id)).first()
    if thread is None:
        index.remove(KIND, thread_id)
        return
    index.upsert(thread_document(thread))


def iter_documents() -> Iterator[index.SearchDocument]:
    """Every thread, for manage.py rebuild_search_index."""
    for thread in _with_index_data(Thread.objects.order_by("pk")).iterator(chunk_size=500):
        yield thread_document(thread)


def popular_ids(limit: int) -> list[int]:
    """The solved threads that affect most people (the search page's examples)."""
    return list(Thread.objects.visible().solved().by_affected().values_list("pk", flat=True)[:limit])
