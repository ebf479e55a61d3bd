"""Issue 12, item 4: "staff answers officially, the asker accepts, the fix fans out to a
cluster of three threads" — each person receives exactly the emails docs/forum.md's
journey table says, no more; and the two duplicate-email reports, reproduced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail

from duplicates import clusters
from duplicates.models import DuplicateLink
from forum import actions
from jobs.models import Notice
from kb import actions as kb
from tests.conftest import make_user
from tests.jobs_helpers import run_pending

DOC = Path(__file__).resolve().parents[2] / "docs" / "forum.md"
# A title with the characters that arrived HTML-escaped before (&#x27; &amp; &quot;).
TITLES = {
    "A": 'Sync & "backup" won\'t start after the 4.2 update',
    "B": "Notes stop syncing on my laptop since 4.2",
    "C": "Laptop notes never sync after updating to 4.2",
}


def _confirm(a, b, by):
    low, high = sorted([a.pk, b.pk])
    link, _ = DuplicateLink.objects.get_or_create(
        low_id=low, high_id=high, defaults={"score": 5.0, "method": "scorer-v1"}
    )
    assert clusters.confirm_link(link.pk, by)


@pytest.fixture
def people(alice, bob, dave):
    extra = {n: make_user(f"{n}@example.com", n.title()) for n in ("erin", "frank", "gina", "hal", "ivy")}
    return {"alice": alice, "bob": bob, "dave": dave, **extra}


@pytest.fixture
def cluster(people, category):
    """A (alice), B (dave), C (erin), linked: A and B by staff, B and C by C's asker."""
    p = people
    a = actions.create_thread(p["alice"], TITLES["A"], "Backup and sync stopped after 4.2.", category)
    b = actions.create_thread(p["dave"], TITLES["B"], "Nothing syncs from my laptop.", category)
    c = actions.create_thread(p["erin"], TITLES["C"], "My laptop's notes stay old.", category)
    _confirm(a, b, p["bob"])
    _confirm(b, c, p["erin"])  # an asker may confirm a suggested link of their own question
    actions.me_too(p["ivy"], a)
    actions.me_too(p["frank"], b)
    actions.follow(p["gina"], c)
    actions.follow(p["hal"], b)
    actions.follow(p["hal"], c)
    run_pending()
    mail.outbox.clear()
    return a, b, c


def journey_table() -> dict[str, list[str]]:
    """{person: [subject, ...]} from docs/forum.md's journey table, titles filled in."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- journey:start -->", 1)[1].split("<!-- journey:end -->", 1)[0]
    expected = {}
    for line in table.strip().splitlines()[2:]:
        person, _, emails = (cell.strip() for cell in line.strip("|").split("|"))
        subjects = [s.strip() for s in emails.split(";") if s.strip() and s.strip() != "—"]
        expected[person] = [re.sub(r"\u2039([ABC])\u203a", lambda m: TITLES[m.group(1)], s) for s in subjects]
    return expected


def received() -> dict[str, list[str]]:
    got: dict[str, list[str]] = {}
    for message in mail.outbox:
        (to,) = message.to
        got.setdefault(to.split("@")[0], []).append(message.subject)
    return got


def test_the_journey_emails_each_person_exactly_what_the_docs_say(cluster, people):
    a, _, _ = cluster
    bob, alice = people["bob"], people["alice"]
    post = actions.add_answer(a, bob, "Hi Alice, thanks for the report!\n\nTurn sync off and on in Settings.")
    actions.mark_official(post, bob)
    actions.accept_solution(a, post, alice)
    run_pending()
    expected = journey_table()
    assert set(expected) == set(people)  # the table covers the whole cast
    assert received() == {person: subjects for person, subjects in expected.items() if subjects}


def test_the_journey_emails_quote_no_greeting_and_name_who_linked(cluster, people):
    a, _, _ = cluster
    post = actions.add_answer(a, people["bob"], "Hi Alice, thanks for the report!\n\nTurn sync off and on.")
    actions.mark_official(post, people["bob"])
    run_pending()
    by_person = {m.to[0].split("@")[0]: m for m in mail.outbox}
    for name in ("dave", "frank", "erin", "gina", "hal", "ivy"):
        assert "Hi Alice" not in by_person[name].body, name
        assert "Turn sync off and on." in by_person[name].body, name
    assert "Our staff linked a question to yours" in by_person["dave"].body
    assert "You linked a question to yours" in by_person["erin"].body
    assert "The asker linked a question to the one you follow" in by_person["gina"].body
    assert "staff linked" not in by_person["gina"].body.lower()


def test_subjects_arrive_unescaped_and_whole(cluster, people):
    a, _, _ = cluster
    actions.add_answer(a, people["bob"], "Turn sync off and on in Settings.")
    run_pending()
    (message,) = [m for m in mail.outbox if m.to == ["alice@example.com"]]
    assert message.subject == f"New answer: {TITLES['A']}"
    assert (
        "&#x27;" not in message.subject and "&amp;" not in message.subject and "&quot;" not in message.subject
    )
    html = message.alternatives[0][0]
    assert "Sync &amp; &quot;backup&quot; won&#x27;t start" in html  # the HTML part stays escaped


# --- the reports, reproduced -------------------------------------------------------------


def test_three_events_on_one_answer_within_a_minute_are_one_email(cluster, people):
    """ "One fix produced 3 emails to the same person within a minute": ivy, a me-too voter
    on A, was sent "New answer", "Official answer" and "Solved" about the one answer."""
    a, _, _ = cluster
    post = actions.add_answer(a, people["bob"], "Turn sync off and on in Settings.")
    actions.mark_official(post, people["bob"])
    actions.accept_solution(a, post, people["alice"])
    run_pending()
    assert received()["ivy"] == [f"Solved: {TITLES['A']}"]
    assert Notice.objects.filter(user=people["ivy"]).count() == 3  # told of each, in one email


def test_one_answer_official_then_accepted_then_an_article_is_one_fix_email(cluster, people):
    """ "3 'Fixed on a linked question' emails for one fix": the answer's official mark, its
    acceptance and the article made from it are three fix rows; each was emailed, even
    when hours apart (here: the flush runs after each)."""
    a, _, _ = cluster
    bob = people["bob"]
    post = actions.add_answer(a, bob, "Turn sync off and on in Settings, then sign in again.")
    actions.mark_official(post, bob)
    run_pending()
    actions.accept_solution(a, post, people["alice"])
    run_pending()
    article = kb.promote(post, bob)
    kb.publish(article, bob)
    run_pending()
    fixed = [m.subject for m in mail.outbox if m.to == ["dave@example.com"]]
    assert fixed == [f"Fixed on a linked question: {TITLES['B']}"]


def test_events_further_apart_than_the_window_are_separate_emails(cluster, people):
    a, _, _ = cluster
    post = actions.add_answer(a, people["bob"], "Turn sync off and on in Settings.")
    run_pending()
    actions.mark_official(post, people["bob"])
    run_pending()
    assert received()["ivy"] == [f"New answer: {TITLES['A']}", f"Official answer: {TITLES['A']}"]


def test_several_events_on_different_questions_are_one_combined_email(cluster, people, category):
    a, b, _ = cluster
    frank = people["frank"]
    actions.follow(frank, a)
    actions.add_answer(a, people["bob"], "Turn sync off and on in Settings.")
    actions.add_answer(b, people["dave"], "Same here, nothing helped yet.")
    run_pending()
    (message,) = [m for m in mail.outbox if m.to == ["frank@example.com"]]
    assert message.subject == "2 updates on questions you follow"
    assert f"New answer: {TITLES['A']}" in message.body and f"New answer: {TITLES['B']}" in message.body
    assert "/account/notifications/" in message.body and "/account/emails/stop/" in message.body
    assert "/account/emails/stop/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_kb_emails_quote_the_article_not_the_greeting_of_its_source_answer(cluster, people):
    """ "The KB email quotes another customer's greeting": the fix email of an article made
    from an answer quoted the answer's opening ("Hi Alice, …") to the linked questions'
    people. Now both KB emails quote the article's summary, else its first paragraph."""
    a, _, _ = cluster
    bob = people["bob"]
    post = actions.add_answer(a, bob, "Hi Alice, thanks for writing in!\n\nTurn sync off and on in Settings.")
    run_pending()
    mail.outbox.clear()
    article = kb.promote(post, bob)  # a staff answer, neither official nor accepted
    kb.publish(article, bob)
    run_pending()
    by_person = {m.to[0].split("@")[0]: m for m in mail.outbox}
    assert by_person["ivy"].subject == f"New help article: {article.title}"  # follows the source
    assert by_person["dave"].subject == f"Fixed on a linked question: {TITLES['B']}"  # a linked question
    for name in ("ivy", "dave"):
        body, html = by_person[name].body, by_person[name].alternatives[0][0]
        assert "Hi Alice" not in body and "Hi Alice" not in html, name
        assert "Turn sync off and on in Settings." in body, name
