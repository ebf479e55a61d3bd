"""Follow / unfollow; the asker follows automatically and can stop."""

import pytest
from django.urls import reverse

from forum import actions
from forum.models import Follow


def follow_url(thread):
    return reverse("forum:follow", args=[thread.pk])


def test_reader_can_follow_and_unfollow(dave_client, dave, thread):
    dave_client.post(follow_url(thread))
    thread.refresh_from_db()
    assert thread.follower_count == 2
    dave_client.post(follow_url(thread))  # twice: still one row
    assert Follow.objects.filter(user=dave, thread=thread).count() == 1
    dave_client.post(follow_url(thread), {"undo": "1"})
    thread.refresh_from_db()
    assert thread.follower_count == 1
    assert not Follow.objects.filter(user=dave, thread=thread).exists()


def test_asker_can_unfollow_their_own_question(alice_client, alice, thread):
    alice_client.post(follow_url(thread), {"undo": "1"})
    thread.refresh_from_db()
    assert thread.follower_count == 0


def test_htmx_follow_returns_the_fragment(dave_client, thread):
    html = dave_client.post(follow_url(thread), HTTP_HX_REQUEST="true").content.decode()
    assert "Following" in html and "<html" not in html


def test_anonymous_and_unverified_cannot_follow(client, unverified_client, thread):
    assert "/accounts/login/" in client.post(follow_url(thread))["Location"]
    unverified_client.post(follow_url(thread))
    thread.refresh_from_db()
    assert thread.follower_count == 1


def test_the_team_follows_many_threads_in_two_statements_and_counts_stay_exact(
    bob, alice, carol, dave, category, django_assert_num_queries
):
    from forum.errors import NotAllowed
    from forum.models import Follow, Thread

    threads = [
        actions.create_thread(alice, f"Sync breaks on device {i}", f"Details of problem {i}.", category, [])
        for i in range(3)
    ]
    actions.me_too(dave, threads[0])
    before = {
        t.pk: (t.people_count, t.follower_count)
        for t in Thread.objects.filter(pk__in=[t.pk for t in threads])
    }
    with django_assert_num_queries(2):
        assert actions.follow_as_team(bob, threads) == 3
    assert actions.follow_as_team(bob, threads) == 3  # again: nothing doubles
    for thread in Thread.objects.filter(pk__in=[t.pk for t in threads]):
        people, followers = before[thread.pk]
        assert thread.people_count == people  # the team is not among the people affected
        assert thread.follower_count == followers + 1 == Follow.objects.filter(thread=thread).count()
    with pytest.raises(NotAllowed):
        actions.follow_as_team(dave, threads)
    actions.delete_thread(threads[2], carol, reason="Spam")
    assert actions.follow_as_team(bob, [Thread.objects.get(pk=threads[2].pk)]) == 0
