"""'Resolved N threads · helped M people': people are the askers and me-too voters of the
linked threads, each counted once."""

from forum import actions as forum_actions
from kb import actions
from kb.queries import people_helped
from tests.conftest import make_user


def test_same_person_asking_two_linked_threads_and_me_tooing_a_third_counts_once(
    client, article, thread, alice, dave, bob, category
):
    erin = make_user("erin@example.com", "Erin")
    second = forum_actions.create_thread(
        alice, "Sync broke again after update", "Also on my desktop.", category
    )
    third = forum_actions.create_thread(dave, "Laptop notes are not syncing", "Since the update.", category)
    forum_actions.me_too(alice, third)  # alice asked two linked threads and said "me too" on the third
    forum_actions.me_too(erin, thread)
    forum_actions.me_too(erin, third)
    actions.link_thread(article, second, bob)
    actions.link_thread(article, third, bob)
    assert people_helped([thread.pk, second.pk, third.pk]) == 3  # alice, dave, erin
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Resolved 3 threads · helped 3 people" in html


def test_a_deleted_thread_no_longer_counts(client, article, thread, carol):
    assert "Resolved 1 thread · helped 1 person" in client.get(article.get_absolute_url()).content.decode()
    forum_actions.delete_thread(thread, carol)
    assert "Resolved" not in client.get(article.get_absolute_url()).content.decode()


def test_source_thread_shows_a_banner_linking_to_the_published_article(client, draft, thread, bob):
    assert "This fix is in the knowledge base" not in client.get(thread.get_absolute_url()).content.decode()
    actions.publish(draft, bob)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "This fix is in the knowledge base" in html and f'href="/kb/{draft.slug}/"' in html
    assert html.index("kb-banner") < html.index('id="answers-title"')
