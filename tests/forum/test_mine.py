"""Where are my questions? (issue 12, item 5): /questions/mine/ for the signed-in person
(questions, answers, following) and paged public lists on a profile, which never show
what someone follows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from forum import actions
from forum.models import Thread

pytestmark = pytest.mark.django_db
MINE = "/questions/mine/"


def _titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h[23] class="item-title">.*?<a href="[^"]+">([^<]+)</a>', html, re.S)


@pytest.fixture
def world(alice, dave, bob, carol, category):
    mine = actions.create_thread(
        alice, "Alice cannot export PDF", "Export to PDF fails every time.", category
    )
    gone = actions.create_thread(alice, "Alice posted this twice", "Posted twice by mistake here.", category)
    actions.delete_thread(gone, carol, reason="Duplicate")
    daves = actions.create_thread(
        dave, "Dave sees sync conflicts", "Conflicted copies appear daily.", category
    )
    actions.me_too(alice, daves)  # she follows it now
    answer = actions.add_answer(daves, alice, "Turn off the second sync client; that fixed it for me.")
    official = actions.add_answer(mine, bob, "Update to 4.3.1, it fixes PDF export.")
    actions.mark_official(official, bob)
    return {"mine": mine, "gone": gone, "daves": daves, "answer": answer}


def test_mine_needs_signing_in(client):
    response = client.get(MINE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_questions_answers_and_follows(alice_client, world):
    assert _titles(alice_client.get(MINE)) == ["Alice cannot export PDF"]  # not the removed one
    answers = alice_client.get(MINE, {"tab": "answers"})
    assert _titles(answers) == ["Dave sees sync conflicts"]
    assert f"#post-{world['answer'].pk}" in answers.content.decode()
    following = _titles(alice_client.get(MINE, {"tab": "following"}))
    assert set(following) == {"Alice cannot export PDF", "Dave sees sync conflicts"}


def test_a_profile_lists_questions_and_answers_but_never_follows(client, alice, world):
    url = reverse("accounts:profile", args=[alice.pk])
    assert _titles(client.get(url)) == ["Alice cannot export PDF"]
    assert _titles(client.get(url, {"tab": "answers"})) == ["Dave sees sync conflicts"]
    html = client.get(url, {"tab": "following"}).content.decode()
    assert "Following" not in html
    assert _titles(client.get(url, {"tab": "following"})) == ["Alice cannot export PDF"]


def test_the_lists_are_paged(alice_client, alice, category):
    for n in range(25):
        actions.create_thread(
            alice, f"Question number {n:02d} about sync", f"Sync stops here again, case {n}.", category
        )
    first, second = alice_client.get(MINE), alice_client.get(MINE, {"tab": "questions", "page": 2})
    assert len(_titles(first)) == 20 and len(_titles(second)) == 5
    assert _titles(second)[-1] == "Question number 00 about sync"
    assert "Page 2 of 2" in second.content.decode()


# session, user, count, rows (+ their tags): the same for 7 rows as for 70
@pytest.mark.parametrize(("tab", "queries"), [("questions", 5), ("answers", 4), ("following", 5)])
def test_mine_reads_a_fixed_number_of_queries(alice_client, alice, world, category, tab, queries,
                                              django_assert_num_queries):  # fmt: skip
    for n in range(5):
        thread = actions.create_thread(
            alice, f"Another question {n} on sync", f"Sync stops here again, case {n}.", category
        )
        actions.add_answer(thread, alice, f"Following up with more details, number {n}.")
    with django_assert_num_queries(queries):
        alice_client.get(MINE, {"tab": tab})
    assert Thread.objects.filter(author=alice).count() == 7
