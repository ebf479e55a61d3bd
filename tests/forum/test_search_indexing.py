"""Threads reach the site search from the forum's actions, in the same transaction."""

from forum import actions
from search import query
from search.models import SearchEntry


def entry(thread):
    return SearchEntry.objects.get(kind="thread", object_id=thread.pk)


def test_a_new_question_is_searchable_at_once(thread, client):
    assert entry(thread).is_public and not entry(thread).solved
    results = query("syncing", user=None)
    assert [hit.object_id for hit in results.hits] == [thread.pk]


def test_answers_are_indexed_and_solving_marks_the_entry_solved(thread, bob):
    post = actions.add_answer(thread, bob, "Reinstall the frobnicator plugin")
    assert [h.object_id for h in query("frobnicator").hits] == [thread.pk]
    actions.mark_official(post, bob)
    assert entry(thread).solved


def test_edits_reindex_the_title(thread, alice):
    actions.edit_thread(thread, alice, "Calendar widget is blank", "The widget shows nothing at all.")
    assert entry(thread).title == "Calendar widget is blank"


def test_a_deleted_question_is_hidden_from_public_search(thread, carol, alice):
    actions.delete_thread(thread, carol)
    assert not entry(thread).is_public
    assert query("syncing", user=alice).hits == []
    assert [h.object_id for h in query("syncing", user=carol).hits] == [thread.pk]
    actions.restore_thread(thread, carol)
    assert entry(thread).is_public
