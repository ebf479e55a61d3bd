"""Confirm/reject, clusters that merge and split, people affected, the panel and the cluster page."""

from __future__ import annotations

import pytest

from duplicates import clusters
from duplicates.models import Cluster, ClusterMembership, DuplicateLink
from forum import actions
from forum.errors import NotAllowed
from tests.conftest import make_user


def _thread(author, category, i: int):
    return actions.create_thread(author, f"Sync question number {i}", f"Body of question {i}.", category)


def _link(a, b, score: float = 9.0) -> DuplicateLink:
    low, high = sorted([a.pk, b.pk])
    return DuplicateLink.objects.create(low_id=low, high_id=high, score=score, method="scorer-v1")


def _cluster_of(thread) -> int | None:
    return ClusterMembership.objects.filter(thread=thread).values_list("cluster_id", flat=True).first()


@pytest.fixture
def five(alice, dave, category):
    return [_thread(alice if i % 2 == 0 else dave, category, i) for i in range(5)]


def test_confirming_a_link_puts_both_threads_in_one_cluster(five, bob):
    a, b = five[:2]
    assert clusters.confirm_link(_link(a, b).pk, bob) is True
    assert _cluster_of(a) == _cluster_of(b) is not None
    link = DuplicateLink.objects.get()
    assert link.state == "confirmed" and link.decided_by == bob and link.decided_at is not None
    assert clusters.confirm_link(link.pk, bob) is False  # again: nothing changes
    assert Cluster.objects.count() == 1


def test_a_link_between_two_clusters_merges_them_keeping_the_bigger_ones_id(five, bob):
    a, b, c, d, e = five
    clusters.confirm_link(_link(a, b).pk, bob)
    clusters.confirm_link(_link(b, c).pk, bob)
    big = _cluster_of(a)
    clusters.confirm_link(_link(d, e).pk, bob)
    small = _cluster_of(d)
    assert big != small
    clusters.confirm_link(_link(c, d).pk, bob)
    assert {_cluster_of(t) for t in five} == {big}
    assert list(Cluster.objects.values_list("pk", flat=True)) == [big]  # the emptied cluster is gone


def test_rejecting_a_confirmed_bridge_splits_the_cluster_and_a_lone_thread_leaves(five, bob):
    a, b, c, d, _ = five
    clusters.confirm_link(_link(a, b).pk, bob)
    clusters.confirm_link(_link(b, c).pk, bob)
    bridge = _link(c, d)
    clusters.confirm_link(bridge.pk, bob)
    original = _cluster_of(a)
    assert clusters.reject_link(bridge.pk, bob) is True
    assert _cluster_of(a) == _cluster_of(b) == _cluster_of(c) == original  # the bigger part keeps the id
    assert _cluster_of(d) is None  # alone again
    assert Cluster.objects.count() == 1


def test_a_split_into_two_pairs_gives_the_second_pair_a_new_cluster(five, bob):
    a, b, c, d, _ = five
    clusters.confirm_link(_link(a, b).pk, bob)
    middle = _link(b, c)
    clusters.confirm_link(middle.pk, bob)
    clusters.confirm_link(_link(c, d).pk, bob)
    original = _cluster_of(a)
    clusters.unconfirm_link(middle.pk, bob)
    assert DuplicateLink.objects.get(pk=middle.pk).state == "suggested"
    assert _cluster_of(a) == _cluster_of(b)
    assert _cluster_of(c) == _cluster_of(d)
    assert {_cluster_of(a), _cluster_of(c)} >= {original} and _cluster_of(a) != _cluster_of(c)
    assert Cluster.objects.count() == 2


def test_removing_one_edge_of_a_triangle_keeps_the_cluster_whole(five, bob):
    a, b, c = five[:3]
    ab = _link(a, b)
    for link in (ab, _link(b, c), _link(a, c)):
        clusters.confirm_link(link.pk, bob)
    cluster = _cluster_of(a)
    clusters.reject_link(ab.pk, bob)
    assert _cluster_of(a) == _cluster_of(b) == _cluster_of(c) == cluster


def test_people_affected_counts_each_person_once_across_the_cluster(alice, dave, bob, category):
    erin = make_user("erin@example.com", "Erin")
    frank = make_user("frank@example.com", "Frank")
    one = _thread(alice, category, 1)
    two = _thread(alice, category, 2)  # alice asked twice
    three = _thread(dave, category, 3)
    actions.me_too(alice, three)  # ... and said "me too" on the third
    actions.me_too(erin, one)
    actions.me_too(erin, three)  # erin voted twice
    actions.me_too(frank, two)
    clusters.confirm_link(_link(one, two).pk, bob)
    clusters.confirm_link(_link(two, three).pk, bob)
    assert clusters.people_affected(_cluster_of(one)) == 4  # alice, dave, erin, frank


def test_people_affected_follows_a_split(alice, dave, bob, category):
    one, two = _thread(alice, category, 1), _thread(dave, category, 2)
    link = _link(one, two)
    clusters.confirm_link(link.pk, bob)
    assert clusters.people_affected(_cluster_of(one)) == 2
    clusters.reject_link(link.pk, bob)
    assert _cluster_of(one) is None and _cluster_of(two) is None


def test_the_asker_may_confirm_or_reject_a_suggestion_for_their_thread_but_others_may_not(
    alice, dave, bob, category
):
    erin = make_user("erin@example.com", "Erin")
    mine, theirs = _thread(alice, category, 1), _thread(dave, category, 2)
    link = _link(mine, theirs)
    with pytest.raises(NotAllowed):
        clusters.confirm_link(link.pk, erin)
    assert clusters.confirm_link(link.pk, alice) is True
    with pytest.raises(NotAllowed):  # once confirmed, only staff can undo it
        clusters.reject_link(link.pk, alice)
    assert clusters.reject_link(link.pk, bob) is True


# --- pages ---------------------------------------------------------------------------------


def test_the_panel_lists_similar_threads_with_buttons_only_for_staff_and_the_asker(
    five, client, alice_client, bob_client, dave
):
    a, b, c = five[:3]
    _link(a, b, score=9.0)
    _link(a, c, score=0.5)  # below the threshold: not shown
    url = a.get_absolute_url()
    for who, shows_buttons in ((client, False), (alice_client, True), (bob_client, True)):
        html = who.get(url).content.decode()
        assert "Similar threads" in html and b.title in html and c.title not in html
        assert ("Same problem</button>" in html) is shows_buttons
    from django.test import Client

    stranger = Client()
    stranger.force_login(make_user("erin@example.com", "Erin"))
    assert "Same problem</button>" not in stranger.get(url).content.decode()


def test_no_panel_for_a_thread_without_links(five, client):
    assert "Similar threads" not in client.get(five[0].get_absolute_url()).content.decode()


def test_staff_confirm_without_javascript_redirects_and_the_count_shows(five, bob_client, client):
    a, b = five[:2]
    link = _link(a, b)
    response = bob_client.post(f"/questions/links/{link.pk}/decide/", {"decision": "confirm", "thread": a.pk})
    assert response.status_code == 302 and response["Location"] == a.get_absolute_url()
    html = client.get(b.get_absolute_url()).content.decode()
    assert 'data-testid="cluster-affected">2<' in html and "Same problem</span>" in html


def test_reject_with_htmx_returns_the_panel_without_the_pair(five, alice_client):
    a, b, c = five[:3]
    rejected, kept = _link(a, b), _link(a, c)
    response = alice_client.post(
        f"/questions/links/{rejected.pk}/decide/",
        {"decision": "reject", "thread": a.pk},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="similar-threads"' in html
    assert b.title not in html and c.title in html
    assert DuplicateLink.objects.get(pk=rejected.pk).state == "rejected"
    assert DuplicateLink.objects.get(pk=kept.pk).state == "suggested"


def test_a_customer_who_did_not_ask_is_refused_and_nothing_changes(five, alice, category, client):
    a, b = five[1], five[3]  # both asked by dave
    link = _link(a, b)
    from django.test import Client

    other = Client()
    other.force_login(alice)
    response = other.post(f"/questions/links/{link.pk}/decide/", {"decision": "confirm", "thread": a.pk})
    assert response.status_code == 302
    assert DuplicateLink.objects.get(pk=link.pk).state == "suggested"
    anonymous = client.post(f"/questions/links/{link.pk}/decide/", {"decision": "confirm", "thread": a.pk})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_bad_decisions_are_refused_clearly(five, bob_client):
    a, b, c = five[:3]
    link = _link(a, b)
    assert (
        bob_client.post(f"/questions/links/{link.pk}/decide/", {"decision": "x", "thread": a.pk}).status_code
        == 400
    )
    assert (
        bob_client.post(
            f"/questions/links/{link.pk}/decide/", {"decision": "confirm", "thread": "x"}
        ).status_code
        == 400
    )
    # the link is not on that thread's page
    assert (
        bob_client.post(
            f"/questions/links/{link.pk}/decide/", {"decision": "confirm", "thread": c.pk}
        ).status_code
        == 404
    )


def test_the_cluster_page_lists_its_threads_and_people_affected(five, bob, client, dave):
    a, b, c = five[:3]
    clusters.confirm_link(_link(a, b).pk, bob)
    clusters.confirm_link(_link(b, c).pk, bob)
    actions.me_too(dave, a)
    response = client.get(f"/questions/cluster/{_cluster_of(a)}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert all(t.title in html for t in (a, b, c)) and five[3].title not in html
    assert (
        'data-testid="cluster-page-affected">2<' in html
    )  # alice asked a and c, dave asked b and voted on a
    assert client.get("/questions/cluster/999999/").status_code == 404


@pytest.mark.parametrize("who", ["client", "alice_client", "bob_client"])
def test_thread_page_queries_with_the_panels_do_not_grow_with_links_or_people(
    request, who, alice, dave, bob, category, people, django_assert_num_queries
):
    client = request.getfixturevalue(who)
    # small: no cluster, two suggestions
    small = _thread(alice, category, 100)
    for i in range(2):
        _link(small, _thread(dave, category, 200 + i))
    # big: a cluster of 12 threads with 20 voters, eight suggestions, fixes on two threads
    big = _thread(alice, category, 300)
    members = [_thread(dave, category, 400 + i) for i in range(11)]
    for other in members:
        clusters.confirm_link(_link(big, other).pk, bob)
    for i in range(8):
        _link(big, _thread(dave, category, 500 + i))
    for person in people:
        actions.me_too(person, members[0])
    for member in members[:2]:
        post = actions.add_answer(member, bob, "Reinstall the sync helper.")
        actions.mark_official(post, bob)
    plain = _thread(alice, category, 600)
    # Any thread page: the forum's queries (with its comments, issue 12 item 2) + 1 for every
    # app's panels (links, cluster, fixes, the kb article, whether a claim is held: one
    # query, forum.paneldata, issue 14 item 4); signed in, + 1 for the posts the viewer
    # reported (moderation's Report tool); staff + 3 for the desk panel's claim, notes and
    # saved replies.
    baseline = {"client": 6, "alice_client": 13, "bob_client": 16}[who]
    with django_assert_num_queries(baseline):
        client.get(plain.get_absolute_url())
    # Links, a cluster of 12 with 20 voters and fixes cost nothing more: the same one query
    # (staff too: "your answer will reach N people in M threads" is the cluster's row).
    with django_assert_num_queries(baseline):
        client.get(small.get_absolute_url())
    with django_assert_num_queries(baseline):
        html = client.get(big.get_absolute_url()).content.decode()
    assert html.count('class="similar-item"') == 8  # the panel shows the best 8
    assert 'data-testid="cluster-affected">22<' in html  # alice, dave and 20 voters
    assert html.count("(official answer)") == 2


def test_staff_can_link_two_threads_by_hand_and_customers_cannot(five, alice, bob):
    a, b = five[1], five[3]
    with pytest.raises(NotAllowed):
        clusters.link_manually(a, b, alice)
    link = clusters.link_manually(b, a, bob)  # either order: one row, low < high
    assert (link.low_id, link.high_id, link.method, link.state) == (a.pk, b.pk, "manual", "confirmed")
    assert _cluster_of(a) == _cluster_of(b) is not None
    assert clusters.link_manually(a, b, bob).pk == link.pk


def test_a_refused_htmx_decision_says_why_inside_the_panel(five, alice_client, bob):
    a, b = five[:2]
    link = _link(a, b)
    clusters.confirm_link(link.pk, bob)
    response = alice_client.post(
        f"/questions/links/{link.pk}/decide/",
        {"decision": "reject", "thread": a.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response["HX-Reswap"] == "beforeend"
    assert 'role="alert"' in response.content.decode() and "Only staff" in response.content.decode()
    assert DuplicateLink.objects.get(pk=link.pk).state == "confirmed"
