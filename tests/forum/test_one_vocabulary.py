"""One vocabulary everywhere (issue 12, item 3; docs/forum.md, "Statuses"): a question in
each status shows the same status word, from Thread.Status, on the question list, its own
page, search results, the asker's profile and "Your questions", the staff desk and the
emails; and no other status word (no bare "Open" for a question the doc says is waiting
for staff, no "Staff answered" beside "Answered by staff"). People affected: one count,
one phrasing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from forum import actions
from forum.models import Post, Thread
from forum.notifications import build_email

LABELS = dict(Thread.Status.choices)
BADGE = re.compile(r'data-status="(\w+)">(?:<span aria-hidden="true">✓ </span>)?([^<]+?)(?: · <time|</span>)')
STALE = ("Staff answered", ">Answered<")  # the old words (the "Unanswered" tab is a filter: no answer yet)


@pytest.fixture
def four(alice, bob, dave, category):
    """One question in each status, each with a word of its own to search for."""
    waiting = actions.create_thread(
        alice, "Quokka export never finishes", "The quokka export hangs.", category
    )
    actions.add_answer(waiting, dave, "Same here, no luck with the quokka export.")  # a customer's answer
    staff = actions.create_thread(alice, "Wombat sync shows an error", "The wombat sync fails.", category)
    staff_post = actions.add_answer(staff, bob, "Update to 4.2.1: it fixes the wombat sync.")
    actions.mark_official(staff_post, bob)
    solved = actions.create_thread(
        alice, "Numbat reminders come late", "Numbat reminders are late.", category
    )
    solved_post = actions.add_answer(solved, bob, "Turn numbat battery saving off.")
    actions.mark_official(solved_post, bob)
    actions.answer_did_it_fix(alice, solved, fixed=True)
    open_ = actions.create_thread(
        bob, "Bilby import checklist for admins", "Collecting bilby cases.", category
    )
    actions.me_too(dave, staff)
    return {
        "waiting": (Thread.objects.get(pk=waiting.pk), "quokka"),
        "staff_answered": (Thread.objects.get(pk=staff.pk), "wombat"),
        "solved": (Thread.objects.get(pk=solved.pk), "numbat"),
        "open": (Thread.objects.get(pk=open_.pk), "bilby"),
    }


def labels_in_block(html: str, title: str, tag: str = "<li") -> list[str]:
    """The status words of the list item (or card) that holds `title`."""
    blocks = [b for b in html.split(tag) if title in b]
    assert blocks, f"{title!r} not on the page"
    return [label.strip() for _, label in BADGE.findall(blocks[0])]


def test_each_status_has_one_word_on_every_page(four, client, alice_client, bob_client):
    assert [t.status for t, _ in four.values()] == list(four)  # the fixture is what it says
    pages = {
        "list": client.get("/questions/").content.decode(),
        "profile": client.get(
            reverse("accounts:profile", args=[four["waiting"][0].author_id])
        ).content.decode(),
        "mine": alice_client.get("/questions/mine/").content.decode(),
        "desk": bob_client.get(reverse("desk:queue")).content.decode(),
    }
    for status, (thread, word) in four.items():
        label = LABELS[status]
        assert labels_in_block(pages["list"], thread.title) == [label], (status, "list")
        if thread.author_id == four["waiting"][0].author_id:
            assert labels_in_block(pages["profile"], thread.title) == [label], (status, "profile")
            assert labels_in_block(pages["mine"], thread.title) == [label], (status, "mine")
        page = client.get(thread.get_absolute_url()).content.decode()
        status_line = page.split('class="status-line"')[1].split("</h1>")[0]
        assert [lbl.strip() for _, lbl in BADGE.findall(status_line)] == [label], (status, "thread page")
        search = client.get("/search/", {"q": word}).content.decode()
        assert labels_in_block(search, thread.title.split()[0]) == [label], (status, "search")
        for html in (page, search, *pages.values()):
            for stale in STALE:
                assert stale not in html, (status, stale)
    # The desk lists the questions waiting for staff, in the same word; nothing else.
    assert labels_in_block(pages["desk"], four["waiting"][0].title) == ["Waiting for staff"]
    for status in ("staff_answered", "solved", "open"):
        assert four[status][0].title not in pages["desk"]
    # A bare "Open" only where the doc says open: the team's own question.
    assert pages["list"].count('data-status="open"') == 1


def test_emails_say_the_status_in_the_same_words(four, alice, dave):
    for status, event in (("waiting", "answer"), ("staff_answered", "official"), ("solved", "accepted")):
        thread = four[status][0]
        post = Post.objects.select_related("thread", "author").filter(thread=thread).latest("pk")
        message = build_email(event, post, post.author, alice)
        assert f"Status now: {LABELS[status]}" in message.body
        assert f"<strong>{LABELS[status]}</strong>" in message.alternatives[0][0]


def test_people_affected_is_one_count_in_one_phrasing(four, client):
    thread = four["staff_answered"][0]
    assert thread.people_count == 2  # alice asked, dave said "me too"
    phrase = '<strong data-testid="people-affected">2</strong> people affected'
    assert phrase in client.get("/questions/").content.decode()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert phrase + ' <span class="muted">on this question</span>' in page
    assert "People affected <span" not in page and " me too</span>" not in page
    one = '<strong data-testid="people-affected">1</strong> person affected'
    assert one in client.get(four["waiting"][0].get_absolute_url()).content.decode()
