"""Following a topic (issue 13, item 6): a tag, a product area or a saved search; new
matching questions by email, immediately or in the daily digest, each once per person,
never one's own or a hidden one, with a one-click stop link that needs no sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import actions as account_actions
from forum import actions, topics
from forum.errors import InvalidAction
from forum.models import Tag, TopicFollow
from jobs import notices
from jobs.models import Notice, PendingJob
from tests.conftest import make_user
from tests.jobs_helpers import run_pending

FOLLOW = reverse("forum:follow_topic")
SETTINGS = reverse("accounts:notifications")


def follow(user, **topic) -> TopicFollow:
    return actions.follow_topic(user, **topic)[0]


def ask(author, category, title="Notes stop syncing on my Windows laptop", body=None, tags=("sync",)):
    body = body or f"{title}: since the 4.2 update my laptop shows the syncing spinner forever."
    return actions.create_thread(author, title, body, category, list(tags))


def stop_link_follows(header: str) -> tuple[int, int] | None:
    """(person, follow) a List-Unsubscribe header's link stops (its token is signed with
    the time, so two links for one follow differ)."""
    token = header.strip("<>").rstrip("/").rsplit("/", 1)[-1]
    return topics.read_unsubscribe_token(token)


@pytest.fixture
def sync_tag(thread) -> Tag:  # alice's question made the tag
    return Tag.objects.get(slug="sync")


@pytest.fixture
def now_emails(dave):
    account_actions.set_email_preferences(dave, {topics.TOPICS: "now"})


# --- following and unfollowing -------------------------------------------------------------


def test_a_customer_follows_and_unfollows_a_tag_an_area_and_a_search(dave_client, dave, sync_tag, category):
    for kind, target in (("tag", "sync"), ("area", "sync"), ("search", "  Windows   SYNC ")):
        response = dave_client.post(FOLLOW, {"kind": kind, "target": target, "next": "/questions/"})
        assert response.status_code == 302 and response["Location"] == "/questions/"
    rows = list(TopicFollow.objects.filter(user=dave).values_list("kind", "tag_id", "category_id", "query"))
    assert rows == [
        ("area", None, category.pk, ""),
        ("search", None, None, "windows sync"),
        ("tag", sync_tag.pk, None, ""),
    ]
    page = dave_client.post(FOLLOW, {"kind": "tag", "target": "sync", "next": "/questions/"}, follow=True)
    assert "You follow tag “sync”: new questions on it come by email." in page.content.decode()  # twice: one
    assert TopicFollow.objects.filter(user=dave).count() == 3
    for kind, target in (("tag", "sync"), ("area", "sync"), ("search", "windows sync")):
        dave_client.post(FOLLOW, {"kind": kind, "target": target, "undo": "1"})
    assert not TopicFollow.objects.filter(user=dave).exists()


def test_htmx_returns_the_button_changed(dave_client, dave, sync_tag):
    html = dave_client.post(
        FOLLOW, {"kind": "tag", "target": "sync"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Following this tag" in html and 'name="undo"' in html and "<html" not in html
    html = dave_client.post(
        FOLLOW, {"kind": "tag", "target": "sync", "undo": "1"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Follow this tag" in html and 'name="undo"' not in html


def test_visitors_are_sent_to_sign_in_and_unverified_people_are_refused(client, unverified_client, sync_tag):
    response = client.post(FOLLOW, {"kind": "tag", "target": "sync", "next": "/questions/tagged/sync/"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    unverified_client.post(FOLLOW, {"kind": "tag", "target": "sync"})
    assert not TopicFollow.objects.exists()


def test_an_unknown_tag_and_a_search_of_stop_words_are_refused(dave_client, dave):
    for kind, target in (("tag", "no-such-tag"), ("area", "nowhere"), ("search", "how to the")):
        response = dave_client.post(FOLLOW, {"kind": kind, "target": target}, HTTP_HX_REQUEST="true")
        assert 'role="alert"' in response.content.decode()
    assert not TopicFollow.objects.exists()


def test_one_person_follows_at_most_the_cap(dave, category, monkeypatch):
    monkeypatch.setattr(TopicFollow, "MAX_PER_PERSON", 2)
    follow(dave, query="sync")
    follow(dave, category=category)
    with pytest.raises(InvalidAction, match="the most one person can"):
        follow(dave, query="printer")
    assert follow(dave, query="sync").query == "sync"  # one already followed is no new one


# --- matching a new question ---------------------------------------------------------------


def test_the_match_is_queued_after_commit_and_only_when_someone_follows_a_topic(
    alice, dave, category, django_capture_on_commit_callbacks
):
    ask(alice, category, title="Printing a notebook cuts the last page")
    assert not PendingJob.objects.filter(kind=topics.MATCH_JOB).exists()  # nobody follows anything
    follow(dave, category=category)
    with django_capture_on_commit_callbacks() as callbacks:
        thread = ask(alice, category)
        job = PendingJob.objects.get(kind=topics.MATCH_JOB)
        assert job.sent_at is None  # not handed to the broker inside the transaction
    assert callbacks and job.payload == {"thread_id": thread.pk}
    old = actions.create_thread(
        alice, "An old question from the import", "Imported with its date.", category, [],
        created_at=timezone.now() - timedelta(days=3),
    )  # fmt: skip
    assert not PendingJob.objects.filter(kind=topics.MATCH_JOB, payload__thread_id=old.pk).exists()


def test_a_question_matching_three_of_someones_topics_is_one_email(
    alice, dave, carol, category, other_category, sync_tag, now_emails
):
    follow(dave, tag=sync_tag)
    follow(dave, category=category)
    follow(dave, query="windows synced")  # stemmed like the search: "syncing" matches
    follow(carol, category=other_category)  # a question elsewhere
    follow(carol, query="printer")
    thread = ask(alice, category)
    mail.outbox.clear()
    run_pending()
    (message,) = mail.outbox
    assert message.to == ["dave@example.com"]
    assert message.subject == f"New question: {thread.title}"
    text, html = message.body, message.alternatives[0][0]
    assert "Tag “sync”" in text and "Area “Sync & accounts”" in text and "Search “windows synced”" in text
    assert text.count("Stop following it") == 3 and html.count("Stop following it") == 3
    first = TopicFollow.objects.get(user=dave, kind="tag")
    assert stop_link_follows(message.extra_headers["List-Unsubscribe"]) == (dave.pk, first.pk)
    assert Notice.objects.filter(user=dave, event_key=f"topic:{thread.pk}").count() == 1
    run_pending()
    topics.handle_match({"thread_id": thread.pk})  # a second run tells nobody again
    run_pending()
    assert len(mail.outbox) == 1


def test_a_search_matches_every_word_not_some(alice, dave, category, now_emails):
    follow(dave, query="windows crash")
    follow(dave, query="-windows laptop")
    ask(alice, category, tags=())  # Windows, no crash; and it has Windows
    run_pending()
    assert [m.to for m in mail.outbox if "New question" in m.subject] == []


def test_the_asker_is_never_told_of_their_own_question(alice, dave, category, now_emails):
    account_actions.set_email_preferences(alice, {topics.TOPICS: "now"})
    follow(alice, category=category)
    follow(dave, category=category)
    ask(alice, category)
    run_pending()
    assert [m.to for m in mail.outbox if m.subject.startswith("New question")] == [["dave@example.com"]]


def test_a_question_hidden_before_the_job_ran_is_told_to_nobody(alice, dave, carol, category, now_emails):
    follow(dave, category=category)
    thread = ask(alice, category)
    actions.delete_thread(thread, carol, reason="spam")
    run_pending()
    assert not [m for m in mail.outbox if m.subject.startswith("New question")]
    assert not Notice.objects.filter(user=dave).exists()


def test_a_question_hidden_before_the_digest_is_not_in_it(alice, dave, carol, category):
    follow(dave, category=category)  # the default: the daily digest
    hidden = ask(alice, category)
    kept = ask(alice, category, title="Sync stopped on my phone as well today")
    run_pending()
    assert Notice.objects.filter(user=dave, delivery="digest").count() == 2
    actions.delete_thread(hidden, carol, reason="spam")
    assert notices.handle_digest({"day": "2026-03-02"}) == 1
    (message,) = [m for m in mail.outbox if m.to == ["dave@example.com"]]
    assert kept.title in message.body and hidden.title not in message.body
    assert Notice.objects.get(user=dave, event_key=f"topic:{hidden.pk}").batch == "withdrawn"


# --- immediately or in the daily digest ------------------------------------------------------


def test_the_default_is_the_daily_digest_one_email_a_day_however_often_it_runs(
    alice, dave, category, settings
):
    settings.NOTIFY_DIGEST_HOUR = 7
    follow(dave, category=category)
    first = ask(alice, category)
    second = ask(alice, category, title="Sync stopped on my phone as well today")
    run_pending()
    assert [m for m in mail.outbox if m.to == ["dave@example.com"]] == []  # waits for the digest
    job = notices.queue_digest(datetime(2026, 3, 2, 7, 5, tzinfo=UTC))
    assert notices.queue_digest(datetime(2026, 3, 2, 8, 5, tzinfo=UTC)).pk == job.pk  # hourly beat: one job
    run_pending()
    assert notices.handle_digest({"day": "2026-03-02"}) == 0  # run twice: sent once
    (message,) = [m for m in mail.outbox if m.to == ["dave@example.com"]]
    assert message.subject == "Your daily digest: 2 updates on questions you follow"
    assert first.title in message.body and second.title in message.body
    assert "Stop emails about this" in message.body  # each topic item keeps its stop link
    third = ask(alice, category, title="Sync stopped on my tablet too this morning")
    run_pending()
    assert notices.handle_digest({"day": "2026-03-02"}) == 0  # today's went: tomorrow's has it
    assert notices.handle_digest({"day": "2026-03-03"}) == 1
    assert third.title in mail.outbox[-1].body and first.title not in mail.outbox[-1].body


def test_immediately_is_one_email_within_the_coalescing_window(alice, dave, category, now_emails):
    follow(dave, category=category)
    ask(alice, category)
    run_pending()
    assert [m.to for m in mail.outbox if m.subject.startswith("New question")] == [["dave@example.com"]]


def test_never_records_nothing(alice, dave, category):
    account_actions.set_email_preferences(dave, {topics.TOPICS: "never"})
    follow(dave, category=category)
    ask(alice, category)
    run_pending()
    assert not Notice.objects.filter(user=dave).exists()


# --- the one-click stop link ----------------------------------------------------------------


def test_the_stop_link_works_signed_out_and_stops_only_its_follow(client, dave, category, sync_tag):
    tag_follow = follow(dave, tag=sync_tag)
    area_follow = follow(dave, category=category)
    url = reverse("forum:topic_unsubscribe", args=[topics.unsubscribe_token(tag_follow)])
    page = client.get(url)  # a mail scanner opening the link stops nothing
    assert page.status_code == 200 and "Tag “sync”" in page.content.decode()
    assert TopicFollow.objects.filter(pk=tag_follow.pk).exists()
    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You no longer follow tag “sync”" in done.content.decode()
    assert list(TopicFollow.objects.filter(user=dave)) == [area_follow]
    assert client.post(url).status_code == 200  # again: nothing left to stop, still fine


def test_a_forged_or_someone_elses_stop_link_stops_nothing(client, dave, carol, category):
    from django.core import signing

    mine = follow(dave, category=category)
    theirs = follow(carol, category=category)
    forged = signing.dumps({"u": dave.pk, "f": mine.pk}, salt="forged")
    assert client.post(reverse("forum:topic_unsubscribe", args=[forged])).status_code == 404
    crossed = signing.dumps({"u": dave.pk, "f": theirs.pk}, salt=topics.UNSUBSCRIBE_SALT, compress=True)
    client.post(reverse("forum:topic_unsubscribe", args=[crossed]))  # dave's id, carol's follow
    assert TopicFollow.objects.count() == 2


# --- the pages --------------------------------------------------------------------------------


def test_the_tag_and_area_pages_show_the_button_as_it_stands(dave_client, dave, sync_tag, category):
    page = dave_client.get(reverse("forum:tagged", args=["sync"])).content.decode()
    assert "Follow this tag" in page
    follow(dave, tag=sync_tag)
    page = dave_client.get(reverse("forum:tagged", args=["sync"])).content.decode()
    assert "Following this tag" in page
    assert "Follow this area" in dave_client.get(reverse("forum:category", args=["sync"])).content.decode()


def test_the_search_page_offers_to_follow_the_search(client, thread):
    page = client.get(reverse("search:search"), {"q": "syncing laptop"}).content.decode()
    assert "Follow this search" in page and 'value="syncing laptop"' in page


def test_the_settings_page_lists_the_topics_and_unfollows_them(dave_client, dave, sync_tag, category):
    follow(dave, tag=sync_tag)
    follow(dave, query="windows sync")
    page = dave_client.get(SETTINGS).content.decode()
    assert (
        "Topics you follow" in page
        and "windows sync" in page
        and "New questions on topics you follow" in page
    )
    html = dave_client.post(
        FOLLOW,
        {"kind": "search", "target": "windows sync", "undo": "1", "place": "settings", "next": SETTINGS},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'id="topics"' in html and "windows sync" not in html and "<html" not in html
    assert list(TopicFollow.objects.filter(user=dave).values_list("kind", flat=True)) == ["tag"]


@pytest.mark.parametrize("size", [1, 8])
def test_the_settings_page_reads_its_topics_in_one_query_at_any_size(
    dave_client, dave, category, size, django_assert_num_queries
):
    for i in range(size):
        follow(dave, query=f"problem number{i}")
    follow(dave, category=category)
    dave_client.get(SETTINGS)  # warm the caches
    with django_assert_num_queries(4):  # session, person, email choices, topics
        response = dave_client.get(SETTINGS)
    assert response.content.decode().count(">Unfollow</button>") == size + 1


@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize("page", ["forum:tagged", "forum:category"])
def test_the_tag_and_area_pages_cost_one_query_more_signed_in_at_any_size(
    dave_client, dave, alice, category, page, size, django_assert_num_queries
):
    for i in range(size):
        ask(alice, category, title=f"Sync question number {i} on the laptop")
    follow(dave, category=category)
    url = reverse(page, args=["sync"])
    dave_client.get(url)  # warm the list counts' cache
    # Session, person, the page's own reads, and "does dave follow it?" (one exists()).
    with django_assert_num_queries(7):
        response = dave_client.get(url)
    assert ("Following this area" in response.content.decode()) == (page == "forum:category")


@pytest.mark.parametrize("followers", [2, 12])
def test_the_match_reads_a_fixed_number_of_queries_per_person(alice, category, sync_tag, followers, settings):
    people = [make_user(f"fan{i}@example.com", f"Fan {i}") for i in range(followers)]
    for person in people:
        follow(person, category=category)
        follow(person, query="windows laptop")
    thread = ask(alice, category)
    PendingJob.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        assert topics.handle_match({"thread_id": thread.pk}) == followers
    # Fixed: the thread, its tags, the follows of its area and tags, the searches, the
    # search entry, the match, the follows of the searches it matched, the people, the tag
    # names (once, for every email). Then per
    # person what jobs.notices.notify costs: their choice, "told already?", the insert in a
    # savepoint. The rendering reads nothing.
    assert len(captured) == 9 + 5 * followers


def test_many_people_are_told_in_chunks_each_once(alice, category, monkeypatch):
    monkeypatch.setattr(topics, "CHUNK", 2)
    fans = [make_user(f"fan{i}@example.com", f"Fan {i}") for i in range(5)]
    for person in fans:
        account_actions.set_email_preferences(person, {topics.TOPICS: "now"})
        follow(person, category=category)
    follow(fans[4], query="windows laptop")  # fan4 matches twice: one email naming both
    thread = ask(alice, category)
    assert topics.handle_match({"thread_id": thread.pk}) == 0  # the match only queues chunks
    chunks = PendingJob.objects.filter(
        kind=topics.MATCH_JOB, dedupe_key__startswith=f"topic-match:{thread.pk}:"
    )
    assert chunks.count() == 3
    topics.handle_match({"thread_id": thread.pk})  # a rerun queues the same chunks
    assert chunks.count() == 3
    TopicFollow.objects.filter(user=fans[3]).delete()  # stopped after the match: not told
    run_pending()
    told = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("New question"))
    assert told == ["fan0@example.com", "fan1@example.com", "fan2@example.com", "fan4@example.com"]
    (fan4,) = [m for m in mail.outbox if m.to == ["fan4@example.com"]]
    assert "Area “Sync & accounts”" in fan4.body and "Search “windows laptop”" in fan4.body
