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


def test_answers_are_indexed_and_solving_marks_the_entry_solved(thread, alice, bob):
    post = actions.add_answer(thread, bob, "Reinstall the frobnicator plugin")
    assert [h.object_id for h in query("frobnicator").hits] == [thread.pk]
    actions.mark_official(post, bob)
    # Official alone is "answered by staff" (issue 12, item 3); the entry says so.
    assert not entry(thread).solved
    assert (entry(thread).status, entry(thread).status_label) == ("staff_answered", "Answered by staff")
    actions.answer_did_it_fix(alice, thread, fixed=True)
    assert entry(thread).solved and entry(thread).status_label == "Solved"


def test_a_comment_that_changes_the_status_reaches_the_search_result(thread, alice, bob):
    actions.add_comment(thread, bob, "Which version are you on?")
    assert entry(thread).status_label == "Open"
    actions.add_comment(thread, alice, "4.2.1 on Windows 11.")
    assert entry(thread).status_label == "Waiting for staff"
    assert query("syncing").hits[0].status_label == "Waiting for staff"


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
