"""Merging a confirmed duplicate into the cluster's main thread (staff)."""

from __future__ import annotations

import pytest

from duplicates import clusters, merge
from duplicates.models import DuplicateLink, Fix, ThreadMerge
from forum import actions
from forum.errors import InvalidAction, NotAllowed
from forum.models import Follow, MeToo, Post, Thread
from search.models import SearchEntry
from tests.conftest import make_user


def _thread(author, category, title: str):
    return actions.create_thread(author, title, f"{title}. It happens every morning.", category)


def _confirm(a, b, by):
    low, high = sorted([a.pk, b.pk])
    link = DuplicateLink.objects.create(low_id=low, high_id=high, score=5.0, method="scorer-v1")
    clusters.confirm_link(link.pk, by)


@pytest.fixture
def pair(alice, dave, bob, category):
    main = _thread(alice, category, "Sync stops after the update")
    dup = _thread(dave, category, "Notes no longer sync since updating")
    _confirm(main, dup, bob)
    return main, dup


def test_merge_moves_answers_and_carries_followers_and_me_too_once(pair, alice, dave, bob, carol):
    main, dup = pair
    erin = make_user("erin@example.com", "Erin")
    frank = make_user("frank@example.com", "Frank")
    actions.me_too(erin, main)
    actions.me_too(erin, dup)  # voted on both: counted once
    actions.me_too(frank, dup)
    actions.me_too(alice, dup)  # main's asker voted on the duplicate: she is the asker, not a voter
    actions.follow(carol, dup)
    a1 = actions.add_answer(main, bob, "Reinstall the helper.")
    a2 = actions.add_answer(dup, frank, "Same here, a restart helped.")
    actions.vote_helpful(erin, a2)
    affected_before = clusters.people_affected(clusters.cluster_of(main).cluster_id)

    result = merge.merge_into_main(dup, bob)

    assert result.pk == main.pk
    assert set(Post.objects.filter(thread=main).values_list("pk", flat=True)) == {a1.pk, a2.pk}
    assert Post.objects.get(pk=a2.pk).helpful_count == 1
    voters = sorted(MeToo.objects.filter(thread=main).values_list("user__display_name", flat=True))
    assert voters == ["Dave", "Erin", "Frank"]  # dave asked the duplicate: he has the problem too
    followers = sorted(Follow.objects.filter(thread=main).values_list("user__display_name", flat=True))
    assert followers == ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank"]  # bob follows what he answered
    main.refresh_from_db()
    dup.refresh_from_db()
    assert (main.answer_count, main.me_too_count, main.follower_count) == (2, 3, 6)
    assert main.people_affected == 4  # the team's followers (bob, carol) are not affected
    assert (dup.answer_count, dup.me_too_count, dup.follower_count) == (0, 0, 0)
    assert dup.is_deleted and ThreadMerge.objects.get(thread=dup).into_id == main.pk
    assert not MeToo.objects.filter(thread=dup).exists() and not Follow.objects.filter(thread=dup).exists()
    assert clusters.people_affected(clusters.cluster_of(main).cluster_id) == affected_before == 4


def test_the_old_url_redirects_permanently_for_everyone(pair, bob, client, carol_client):
    main, dup = pair
    old_url = dup.get_absolute_url()
    merge.merge_into_main(dup, bob)
    for who in (client, carol_client):  # a visitor, and a moderator who can see deleted threads
        response = who.get(old_url)
        assert response.status_code == 301 and response["Location"] == main.get_absolute_url()
    assert client.get(f"/questions/{dup.pk}/").status_code == 301


def test_a_merged_stub_cannot_be_restored_and_keeps_redirecting(pair, bob, carol, client):
    main, dup = pair
    merge.merge_into_main(dup, bob)
    with pytest.raises(InvalidAction, match="merged into another"):
        actions.restore_thread(Thread.objects.get(pk=dup.pk), carol)
    assert Thread.objects.get(pk=dup.pk).is_deleted
    assert client.get(dup.get_absolute_url())["Location"] == main.get_absolute_url()


def test_the_search_index_is_updated_with_the_merge(pair, bob):
    main, dup = pair
    actions.add_answer(dup, bob, "Delete the cache folder flumoxed")
    merge.merge_into_main(dup, bob)
    entries = {e.object_id: e for e in SearchEntry.objects.filter(kind="thread")}
    assert "flumoxed" in entries[main.pk].body
    assert entries[dup.pk].is_public is False


def test_a_fix_on_the_duplicate_makes_no_difference_to_the_main_choice_and_moves(alice, dave, bob, category):
    older = _thread(alice, category, "Sync stops after the update")
    fixed = _thread(dave, category, "Notes no longer sync since updating")
    third = _thread(dave, category, "Sync broken on my laptop")
    _confirm(older, fixed, bob)
    _confirm(older, third, bob)
    post = actions.add_answer(fixed, bob, "Reinstall the helper.")
    actions.mark_official(post, bob)
    # the thread with the fix is the main thread, not the oldest
    assert clusters.main_thread(clusters.cluster_of(older).cluster_id).pk == fixed.pk
    merge.merge_into_main(older, bob)
    merge.merge_into_main(third, bob)
    fixed.refresh_from_db()
    # Official alone: answered by staff, until its asker says it fixed it (issue 12, item 3).
    assert fixed.status == "staff_answered" and fixed.answer_count == 1
    assert Fix.objects.get().thread_id == fixed.pk


def test_a_thread_merged_into_one_that_was_merged_later_redirects_to_the_end(
    alice, dave, bob, category, client
):
    a = _thread(alice, category, "Sync stops after the update")
    b = _thread(dave, category, "Notes no longer sync since updating")
    c = _thread(dave, category, "Sync broken on my laptop")
    _confirm(a, b, bob)
    merge.merge_into_main(b, bob)  # b -> a
    ThreadMerge.objects.create(thread=a, into=c)  # later, a -> c
    Thread.objects.filter(pk=a.pk).update(is_deleted=True, deleted_at=a.created_at)
    assert merge.merged_into(b.pk).pk == c.pk
    assert client.get(b.get_absolute_url())["Location"] == c.get_absolute_url()


def test_only_staff_merge_and_only_a_confirmed_duplicate(pair, alice, bob, category):
    main, dup = pair
    with pytest.raises(NotAllowed):
        merge.merge_into_main(dup, alice)
    with pytest.raises(InvalidAction):
        merge.merge_into_main(main, bob)  # the main thread itself
    lone = _thread(alice, category, "Printer jams on every page")
    with pytest.raises(InvalidAction):
        merge.merge_into_main(lone, bob)


def test_the_merge_button_on_the_cluster_page(pair, bob_client, alice_client):
    main, dup = pair
    cluster_id = clusters.cluster_of(main).cluster_id
    page = bob_client.get(f"/questions/cluster/{cluster_id}/").content.decode()
    assert f"/questions/cluster/{cluster_id}/merge/{dup.pk}/" in page
    assert f"/merge/{main.pk}/" not in page
    assert "/merge/" not in alice_client.get(f"/questions/cluster/{cluster_id}/").content.decode()
    refused = alice_client.post(f"/questions/cluster/{cluster_id}/merge/{dup.pk}/")
    assert refused.status_code == 302 and not Thread.objects.get(pk=dup.pk).is_deleted
    response = bob_client.post(f"/questions/cluster/{cluster_id}/merge/{dup.pk}/")
    assert response.status_code == 302 and response["Location"] == main.get_absolute_url()
    assert Thread.objects.get(pk=dup.pk).is_deleted
