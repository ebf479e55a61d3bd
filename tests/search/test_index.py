"""The write side: upsert and remove change the index in the caller's transaction."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from search import fulltext
from search.index import SearchDocument, recount_words, remove, upsert, upsert_many
from search.models import SearchEntry, SearchTag, SearchWord

pytestmark = pytest.mark.django_db


def fulltext_ids(word: str) -> set[int]:
    """Entry ids the database's own full-text index matches for one word."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM search_searchentry WHERE search_vector @@ plainto_tsquery('english', %s)",
                [word],
            )
        else:
            cursor.execute(
                "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s", [f'"{word}"']
            )
        return {row[0] for row in cursor.fetchall()}


def doc(**kwargs) -> SearchDocument:
    values = {
        "kind": "thread",
        "object_id": 1,
        "title": "Printer offline",
        "body": "It says offline.",
        "url": "/t/1/",
    }
    values.update(kwargs)
    return SearchDocument(**values)


def test_upsert_indexes_title_tags_and_body():
    upsert(doc(title="Router keeps rebooting", body="Every **night** at 2am", tags=["wifi", "firmware"]))
    entry = SearchEntry.objects.get(kind="thread", object_id=1)
    assert entry.body == "Every night at 2am"  # Markdown syntax is not indexed
    assert sorted(SearchTag.objects.filter(entry=entry).values_list("name", flat=True)) == [
        "firmware",
        "wifi",
    ]
    for word in ("rebooting", "night", "firmware"):
        assert fulltext_ids(word) == {entry.pk}


def test_upsert_replaces_the_previous_text_and_tags():
    upsert(doc(title="Old words here", tags=["old"]))
    upsert(doc(title="Fresh title", tags=["new"]))
    entry = SearchEntry.objects.get()
    assert fulltext_ids("old") == set()
    assert fulltext_ids("fresh") == {entry.pk}
    assert list(SearchTag.objects.values_list("name", flat=True)) == ["new"]


def test_remove_drops_the_document_and_is_idempotent():
    upsert(doc())
    remove("thread", 1)
    remove("thread", 1)
    assert not SearchEntry.objects.exists()
    assert fulltext_ids("printer") == set()


def test_index_change_rolls_back_with_the_callers_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        upsert(doc(title="Rolled back words"))
        assert fulltext_ids("rolled")
        raise RuntimeError
    assert fulltext_ids("rolled") == set()
    assert not SearchEntry.objects.exists()


def test_control_characters_and_nul_bytes_are_stripped_before_storing():
    upsert(doc(title="Nul\x00byte \x01title", body="body\x00text"))
    entry = SearchEntry.objects.get()
    assert "\x00" not in entry.title and "\x01" not in entry.title
    assert "\x00" not in entry.body


def test_only_public_titles_feed_the_did_you_mean_vocabulary():
    upsert(doc(title="Bluetooth headphones", is_public=True))
    upsert(doc(object_id=2, title="Casino spamword", is_public=False))
    vocabulary = set(SearchWord.objects.values_list("word", flat=True))
    assert {"bluetooth", "headphones"} <= vocabulary
    assert "spamword" not in vocabulary


def test_full_text_machinery_exists_after_migrations():
    # SQLite: Django re-creates a table to alter it, which drops triggers, so a future
    # migration on SearchEntry must re-install them (fulltext.install_sqlite_triggers).
    # PostgreSQL: the generated vectors are only fast with their GIN indexes.
    if connection.vendor == "sqlite":
        assert fulltext.sqlite_triggers_present(connection)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [fulltext.TABLE])
            names = {row[0] for row in cursor.fetchall()}
        assert {"search_entry_vector_gin", "search_entry_title_gin"} <= names


def frequency(word: str) -> int:
    return SearchWord.objects.filter(word=word).values_list("frequency", flat=True).first() or 0


def test_word_frequencies_follow_upserts_hides_and_removes():
    upsert(doc(object_id=1, title="Bluetooth pairing fails", tags=["bluetooth"]))
    upsert(doc(object_id=2, title="Bluetooth mouse lags"))
    assert frequency("bluetooth") == 2  # documents, not occurrences
    upsert(doc(object_id=2, title="Wireless mouse lags"))
    assert (frequency("bluetooth"), frequency("wireless")) == (1, 1)
    upsert(doc(object_id=1, title="Bluetooth pairing fails", is_public=False))
    assert (frequency("bluetooth"), frequency("pairing")) == (0, 0)
    remove("thread", 2)
    assert (frequency("wireless"), frequency("mouse")) == (0, 0)
    upsert_many([doc(object_id=3, title="Bluetooth speaker"), doc(object_id=4, title="Bluetooth keyboard")])
    assert frequency("bluetooth") == 2
    assert recount_words() and frequency("bluetooth") == 2 and frequency("wireless") == 0
