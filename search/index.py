"""Write side of search: apps push plain documents; search knows no app of ours.

    from search.index import SearchDocument, upsert, remove

    upsert(SearchDocument(kind="thread", object_id=t.pk, title=t.title, body=t.body,
                          tags=[...], url=t.get_absolute_url(), category=c.slug,
                          category_name=c.name, is_public=t.is_visible, solved=t.is_solved,
                          boost=2.0 if t.is_solved else 1.0,
                          created_at=t.created_at, updated_at=t.updated_at))
    remove("thread", t.pk)

Both run synchronously on the caller's database connection, so inside the
caller's `transaction.atomic()` the index changes (or rolls back) with the write
itself; a search right after the write sees it. No worker is involved.

`register_source(kind, fn)`: `fn()` yields every SearchDocument of that kind (public
or not); `manage.py rebuild_search_index` uses it. Register in AppConfig.ready().
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from search.text import clean, markdown_to_text, words

MAX_TAGS = 20
# Boosts are multipliers on text relevance. Suggested values for apps:
BOOST_UNANSWERED = 1.0
BOOST_ANSWERED = 1.3
BOOST_SOLVED = 2.0
BOOST_ARTICLE = 2.5


@dataclass
class SearchDocument:
    kind: str  # "thread", "article", …
    object_id: int
    title: str
    body: str = ""  # plain text or Markdown source; Markdown syntax is stripped for the index
    tags: list[str] = field(default_factory=list)
    url: str = ""
    category: str = ""  # slug
    category_name: str = ""
    is_public: bool = True  # False: only the team sees it (hidden, deleted, draft, spam)
    solved: bool = False  # thread: solved; article: published
    status: str = ""  # a word for the badge's colour (thread: its status), "" for none
    status_label: str = ""  # the badge's text, as the indexing app words it ("Waiting for staff")
    boost: float = 1.0  # rank prior: published article, solved thread > unanswered thread
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


DocumentSource = Callable[[], Iterable[SearchDocument]]
_sources: dict[str, DocumentSource] = {}
_counters: dict[str, Callable[[], int]] = {}


def register_source(
    kind: str, iter_documents: DocumentSource, count: Callable[[], int] | None = None
) -> None:
    """Tell rebuild_search_index how to list every document of `kind` (public or not).

    `count`, if given, returns how many documents `iter_documents` will yield, so
    the progress bar can show a percentage.
    """
    _sources[kind] = iter_documents
    if count is not None:
        _counters[kind] = count


def sources() -> dict[str, DocumentSource]:
    return dict(_sources)


def source_count(kind: str) -> int | None:
    counter = _counters.get(kind)
    return counter() if counter else None


def _tag_names(tags: Iterable[str]) -> list[str]:
    names: dict[str, None] = {}
    for tag in tags:
        name = " ".join(clean(str(tag)).split())[:100]
        if name:
            names[name] = None
    return list(names)[:MAX_TAGS]


def entry_values(doc: SearchDocument) -> dict:
    """The SearchEntry column values for a document (no database access)."""
    if not doc.kind or doc.object_id is None:
        raise ValueError("A SearchDocument needs a kind and an object_id")
    now = timezone.now()
    tags = _tag_names(doc.tags)
    return (
        {
            "title": clean(doc.title).strip()[:1000],
            "body": markdown_to_text(doc.body or ""),
            "tags_text": "\n".join(tags),  # one tag per line: names may hold spaces
            "url": doc.url[:500],
            "category": (doc.category or "")[:100],
            "category_name": clean(doc.category_name or "")[:200],
            "is_public": bool(doc.is_public),
            "solved": bool(doc.solved),
            "status": (doc.status or "")[:20],
            "status_label": (doc.status_label or "")[:60],
            "boost": max(float(doc.boost), 0.01),
            "created_at": doc.created_at or now,
            "updated_at": doc.updated_at or doc.created_at or now,
            "indexed_at": now,
        },
        tags,
    )


def upsert(doc: SearchDocument) -> None:
    """Add or replace the document `(doc.kind, doc.object_id)` in the index.

    Precondition: called inside the transaction that changes the source row (or
    in autocommit, where it is its own transaction). Five statements, plus one small
    upsert per vocabulary word whose document count changes (usually none on an edit).
    """
    from search.models import SearchEntry, SearchTag

    values, tags = entry_values(doc)
    key = {"kind": doc.kind, "object_id": int(doc.object_id)}
    with transaction.atomic():
        old = (
            SearchEntry.objects.select_for_update()
            .filter(**key)
            .values("id", "title", "tags_text", "is_public")
            .first()
        )
        if old is None:
            try:
                with transaction.atomic():
                    entry = SearchEntry.objects.create(**key, **values)
            except IntegrityError:  # created concurrently: replace it instead
                old = (
                    SearchEntry.objects.select_for_update()
                    .filter(**key)
                    .values("id", "title", "tags_text", "is_public")
                    .first()
                )
        if old is not None:
            SearchEntry.objects.filter(pk=old["id"]).update(**values)
            SearchTag.objects.filter(entry_id=old["id"]).delete()
            entry = SearchEntry(pk=old["id"], **key, **values)
        if tags:
            SearchTag.objects.bulk_create([SearchTag(entry=entry, name=name) for name in tags])
        delta = Counter(vocabulary_of(values["title"], values["tags_text"], values["is_public"]))
        if old is not None:
            delta.subtract(vocabulary_of(old["title"], old["tags_text"], old["is_public"]))
        apply_word_delta(delta)


_COMPARED = (
    "title",
    "body",
    "tags_text",
    "url",
    "category",
    "category_name",
    "is_public",
    "solved",
    "status",
    "status_label",
    "boost",
)
_DATES = ("created_at", "updated_at")


def upsert_many(docs: Iterable[SearchDocument], *, keep_newer_than: dt.datetime | None = None) -> int:
    """Upsert a batch in one transaction with a handful of queries; returns rows written.

    Used by rebuild_search_index and bulk loads. Unchanged rows only get a new
    `indexed_at`. With `keep_newer_than`, an entry indexed after that moment is
    left alone: the site wrote it while the rebuild ran, so it is fresher than
    the document the rebuild read.
    """
    from search.models import SearchEntry, SearchTag

    batch: dict[tuple[str, int], tuple[dict, list[str]]] = {}
    for doc in docs:
        batch[(doc.kind, int(doc.object_id))] = entry_values(doc)
    if not batch:
        return 0
    now = timezone.now()
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in batch:
        by_kind.setdefault(kind, []).append(object_id)
    with transaction.atomic():
        existing: dict[tuple[str, int], SearchEntry] = {}
        for kind, ids in by_kind.items():
            for entry in SearchEntry.objects.filter(kind=kind, object_id__in=ids).prefetch_related(
                "tag_rows"
            ):
                existing[(entry.kind, entry.object_id)] = entry
        created, changed, touched = [], [], []
        delta: Counter[str] = Counter()
        tags_of: dict[tuple[str, int], list[str]] = {}
        for key, (values, tags) in batch.items():
            entry = existing.get(key)
            if entry is None:
                created.append(SearchEntry(kind=key[0], object_id=key[1], **values))
                tags_of[key] = tags
                delta.update(vocabulary_of(values["title"], values["tags_text"], values["is_public"]))
                continue
            if keep_newer_than is not None and entry.indexed_at > keep_newer_than:
                continue
            same = all(getattr(entry, f) == values[f] for f in _COMPARED) and all(
                getattr(entry, f) == values[f] for f in _DATES
            )
            if same and sorted(t.name for t in entry.tag_rows.all()) == sorted(tags):
                touched.append(entry.pk)
                continue
            delta.subtract(vocabulary_of(entry.title, entry.tags_text, entry.is_public))
            delta.update(vocabulary_of(values["title"], values["tags_text"], values["is_public"]))
            for name, value in values.items():
                setattr(entry, name, value)
            changed.append(entry)
            tags_of[key] = tags
        SearchEntry.objects.bulk_create(created, batch_size=500)
        fields = [*_COMPARED, *_DATES, "indexed_at"]
        SearchEntry.objects.bulk_update(changed, fields, batch_size=500)
        SearchEntry.objects.filter(pk__in=touched).update(indexed_at=now)
        SearchTag.objects.filter(entry__in=[e.pk for e in changed]).delete()
        entries = {(e.kind, e.object_id): e for e in [*created, *changed]}
        SearchTag.objects.bulk_create(
            [SearchTag(entry=entries[key], name=name) for key, names in tags_of.items() for name in names],
            batch_size=1000,
        )
        apply_word_delta(delta)
    return len(created) + len(changed) + len(touched)


def remove(kind: str, object_id: int) -> None:
    """Drop a document from the index; removing one that is not there is fine."""
    from search.models import SearchEntry

    with transaction.atomic():
        entries = SearchEntry.objects.select_for_update().filter(kind=kind, object_id=int(object_id))
        old = entries.values("title", "tags_text", "is_public").first()
        if old is None:
            return
        entries.delete()
        delta = Counter(vocabulary_of(old["title"], old["tags_text"], old["is_public"]))
        apply_word_delta(Counter({word: -n for word, n in delta.items()}))


def vocabulary_of(title: str, tags_text: str, is_public: bool) -> set[str]:
    """The "did you mean" words a document contributes: those of a public title and tags."""
    if not is_public:
        return set()
    return {w for w in words(f"{title} {tags_text}") if 3 <= len(w) <= 60 and not w.isdigit()}


_WORD_DELTA_SQL = (
    "INSERT INTO search_searchword (word, frequency) VALUES (%s, %s) ON CONFLICT (word) DO UPDATE SET "
    "frequency = CASE WHEN search_searchword.frequency + %s < 0 THEN 0 ELSE search_searchword.frequency + %s END"
)


def apply_word_delta(delta: Counter) -> None:
    """Add `delta[word]` to each word's document frequency (an upsert, the same SQL on
    PostgreSQL and SQLite). Words are written in sorted order, so two transactions
    touching the same words lock them in the same order and cannot deadlock."""
    rows = [(word, max(n, 0), n, n) for word, n in sorted(delta.items()) if n]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_WORD_DELTA_SQL, rows)


def recount_words(batch_size: int = 2000) -> int:
    """Recompute the vocabulary from the public entries; drops words of gone or hidden
    documents. Returns the vocabulary size."""
    from search.models import SearchEntry, SearchWord

    counts: Counter[str] = Counter()
    rows = SearchEntry.objects.filter(is_public=True).values_list("title", "tags_text")
    for title, tags_text in rows.iterator(chunk_size=batch_size):
        counts.update(vocabulary_of(title, tags_text, True))
    with transaction.atomic():
        SearchWord.objects.all().delete()
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, frequency=n) for w, n in sorted(counts.items())], batch_size=1000
        )
    return len(counts)
