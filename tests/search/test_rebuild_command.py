"""manage.py rebuild_search_index: batches, progress, stale rows, concurrent writes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

import search
from search import index
from search.index import SearchDocument
from search.models import SearchEntry, SearchWord

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(monkeypatch):
    """A registered source whose documents the test controls."""
    docs: dict[int, SearchDocument] = {}
    monkeypatch.setattr(index, "_sources", {})
    monkeypatch.setattr(index, "_counters", {})
    index.register_source("gadget", lambda: list(docs.values()), count=lambda: len(docs))
    return docs


def gadget(i: int, title: str, **kwargs) -> SearchDocument:
    return SearchDocument(
        kind="gadget", object_id=i, title=title, body=f"Body of gadget {i}", url=f"/g/{i}/", **kwargs
    )


def rebuild(*args) -> str:
    out = io.StringIO()
    call_command("rebuild_search_index", *args, "--batch-size", "7", stdout=out)
    return out.getvalue()


def test_rebuild_indexes_every_document_in_batches_with_progress(source):
    for i in range(30):
        source[i] = gadget(i, f"Widget model {i}", tags=["widget"])
    output = rebuild()
    assert SearchEntry.objects.filter(kind="gadget").count() == 30
    assert search.query("widget").total == 30
    assert "30/30 gadget" in output and "100%" in output


def test_rebuild_removes_stale_entries_and_their_words(source):
    source[1] = gadget(1, "Toaster")
    index.upsert(gadget(2, "Blender vanished"))  # in the index, gone at the source
    rebuild()
    assert search.query("blender").total == 0
    assert not SearchWord.objects.filter(word="vanished").exists()
    assert SearchWord.objects.filter(word="toaster").exists()


def test_rebuild_fixes_a_wrong_entry_and_rerunning_changes_nothing(source):
    source[1] = gadget(1, "Kettle whistles", is_public=False)
    index.upsert(gadget(1, "Kettle whistles", is_public=True))  # stale: now hidden at the source
    rebuild()
    assert search.query("kettle").total == 0
    before = list(SearchEntry.objects.values_list("id", "title", "is_public"))
    rebuild()
    assert list(SearchEntry.objects.values_list("id", "title", "is_public")) == before


def test_an_entry_the_site_wrote_during_the_rebuild_is_kept(source):
    source[1] = gadget(1, "Old title read by the rebuild")
    index.upsert(gadget(1, "New title written by the site"))
    long_ago = timezone.now() - dt.timedelta(hours=1)
    # The rebuild started before the site's write: its older read must not win.
    written = index.upsert_many([source[1]], keep_newer_than=long_ago)
    assert written == 0
    assert SearchEntry.objects.get().title == "New title written by the site"


def test_unknown_kind_is_refused(source):
    with pytest.raises(CommandError, match="No source registered for nothing"):
        rebuild("--kind", "nothing")


def test_rebuild_reads_the_apps_registered_sources(alice):
    """The forum registers its threads in AppConfig.ready(); a rebuild restores a lost entry."""
    from forum import actions as forum_actions
    from forum.models import Category

    thread = forum_actions.create_thread(
        alice,
        "Tablet will not charge past 80 percent",
        "It stops at 80.",
        Category.objects.create(name="Power", slug="power"),
    )
    SearchEntry.objects.filter(kind="thread", object_id=thread.pk).delete()
    assert search.query("tablet charge").total == 0
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert [h.object_id for h in search.query("tablet charge").hits] == [thread.pk]
