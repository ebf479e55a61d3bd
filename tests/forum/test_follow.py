"""Follow / unfollow; the asker follows automatically and can stop."""

from django.urls import reverse

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
