"""Teams (issue 10, item 9): a claim handed to a team ("Billing team") shows under "Mine"
for every member, any member takes it to themselves, it counts against nobody's cap, the
public sees "a staff member is looking into it", the sweep releases it like any claim,
and only staff hand claims on."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from desk import actions, queries
from desk.models import Claim, Team
from forum.errors import InvalidAction, NotAllowed
from forum.models import Follow
from tests.conftest import make_user
from tests.desk.conftest import ask


@pytest.fixture
def frank(db):
    return make_user("frank@example.com", "Frank", User.Role.STAFF)


@pytest.fixture
def billing(erin, frank):
    team = Team.objects.create(name="Billing team", slug="billing-team")
    team.members.add(erin, frank)
    return team


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _mine(user) -> list[str]:
    return re.findall(r'data-key="(-?\d+)"', _client(user).get("/desk/?show=mine").content.decode())


def test_a_claim_handed_to_a_team_is_under_mine_for_every_member(
    bob_client, bob, erin, frank, billing, thread
):
    actions.take(bob, thread)
    response = bob_client.post(f"/desk/threads/{thread.pk}/hand/", {"to": f"team-{billing.pk}"}, follow=True)
    assert "Handed to Billing team." in response.content.decode()
    claim = Claim.objects.get(thread=thread)
    assert (claim.holder, claim.team, claim.handed_by) == (None, billing, bob)
    assert _mine(erin) == _mine(frank) == [str(thread.pk)]
    assert _mine(bob) == []
    entry = AuditEntry.objects.get(action="desk.hand_over", target_id=thread.pk)
    assert entry.actor == bob and entry.details["team"] == billing.pk


def test_a_member_takes_it_from_the_team_to_themselves(bob, erin, frank, billing, thread):
    actions.take(bob, thread)
    actions.hand_over(bob, thread, billing)
    page = _client(erin).get(thread.get_absolute_url()).content.decode()
    panel = page.split('id="staff-desk"')[1]
    assert "Handed to <strong>Billing team</strong>" in panel and "Take it" in panel
    _client(erin).post(f"/desk/threads/{thread.pk}/take/")
    claim = Claim.objects.get(thread=thread)
    assert (claim.holder, claim.team) == (erin, None)
    assert Follow.objects.filter(user=erin, thread=thread).exists()
    assert _mine(frank) == []
    assert AuditEntry.objects.get(action="desk.take", actor=erin).details["from_team"] == billing.pk


def test_someone_outside_the_team_cannot_take_it(bob, erin, billing, thread):
    actions.take(bob, thread)
    actions.hand_over(bob, thread, billing)
    with pytest.raises(InvalidAction, match=r"Billing team has already taken this\."):
        actions.take(bob, thread)
    panel = _client(bob).get(thread.get_absolute_url()).content.decode().split('id="staff-desk"')[1]
    assert f'action="/desk/threads/{thread.pk}/take/"' not in panel
    assert Claim.objects.get(thread=thread).team == billing


def test_team_claims_do_not_count_against_a_persons_cap(bob, erin, billing, category, settings):
    settings.DESK_CLAIM_CAP = 1
    first, second = ask(category, "First billing question", 3), ask(category, "Second billing question", 2)
    actions.take(bob, first)
    actions.hand_over(bob, first, billing)
    assert queries.open_claims(bob) == queries.open_claims(erin) == 0
    actions.take(erin, second)  # the team's claim took none of her one place
    with pytest.raises(InvalidAction, match="your cap"):
        actions.take(erin, first)  # taking it to herself would
    assert Claim.objects.get(thread=first).team == billing


def test_a_member_may_release_or_pass_on_a_team_claim(bob, erin, frank, billing, thread):
    actions.take(bob, thread)
    actions.hand_over(bob, thread, billing)
    actions.hand_over(erin, thread, frank)
    assert Claim.objects.get(thread=thread).holder == frank
    actions.hand_over(frank, thread, billing)
    assert actions.release(erin, thread) == 1
    assert not Claim.objects.exists()


def test_a_team_with_no_members_or_the_holding_team_is_refused(bob, erin, billing, thread):
    empty = Team.objects.create(name="Empty team", slug="empty")
    actions.take(bob, thread)
    with pytest.raises(InvalidAction, match=r"Empty team has no members yet\."):
        actions.hand_over(bob, thread, empty)
    actions.hand_over(bob, thread, billing)
    with pytest.raises(InvalidAction, match=r"Billing team already holds this\."):
        actions.hand_over(erin, thread, billing)


@pytest.mark.parametrize("who", ["client", "alice_client", "carol_client"])
def test_customers_moderators_and_visitors_cannot_hand_to_a_team(request, who, bob, billing, thread):
    actions.take(bob, thread)
    response = request.getfixturevalue(who).post(
        f"/desk/threads/{thread.pk}/hand/", {"to": f"team-{billing.pk}"}
    )
    assert response.status_code == 404
    assert Claim.objects.get(thread=thread).holder == bob


def test_hand_over_is_refused_to_people_outside_the_desk(carol, alice, billing, thread, bob):
    actions.take(bob, thread)
    for outsider in (carol, alice):
        with pytest.raises(NotAllowed):
            actions.hand_over(outsider, thread, billing)
    assert Claim.objects.get(thread=thread).holder == bob


def test_the_hand_over_list_offers_colleagues_and_teams(bob_client, bob, erin, billing, thread):
    actions.take(bob, thread)
    panel = bob_client.get(thread.get_absolute_url()).content.decode().split('id="staff-desk"')[1]
    assert '<optgroup label="Colleagues">' in panel and '<optgroup label="Teams">' in panel
    assert f'<option value="team-{billing.pk}">Billing team</option>' in panel
    assert f'<option value="{erin.pk}">Erin</option>' in panel


def test_the_public_sees_a_staff_member_is_looking_into_it_not_the_team(
    client, alice_client, bob, billing, thread
):
    actions.take(bob, thread)
    actions.hand_over(bob, thread, billing)
    for viewer in (client, alice_client):
        html = viewer.get(thread.get_absolute_url()).content.decode()
        assert "A staff member is looking into it" in html
        assert "Billing" not in html


def test_stale_team_claims_are_released_by_the_sweep(bob, billing, category):
    stale = ask(category, "Handed to billing and forgotten", 40)
    actions.take(bob, stale, now=timezone.now() - timedelta(hours=30))
    actions.hand_over(bob, stale, billing)
    Claim.objects.filter(thread=stale).update(claimed_at=timezone.now() - timedelta(hours=30))
    assert actions.release_stale() == 1
    assert not Claim.objects.exists()
    assert AuditEntry.objects.get(action="desk.auto_release").details["team"] == billing.pk


def test_a_claim_is_held_by_a_person_or_a_team_never_both_or_neither(bob, billing, thread, category):
    other = ask(category, "Another question", 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(thread=thread, holder=bob, team=billing, item=thread.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(thread=other, item=other.pk)


def test_the_team_page_lists_the_teams(bob_client, bob, billing, category, thread):
    billing.areas.add(category)
    actions.take(bob, thread)
    actions.hand_over(bob, thread, billing)
    html = bob_client.get("/desk/team/").content.decode().split('id="teams"')[1]
    assert "Billing team" in html and "Erin, Frank" in html and "Sync &amp; accounts" in html
    assert "Open claims:</span> 1" in html


@pytest.mark.parametrize("n", [1, 6])
def test_mine_with_team_claims_keeps_the_queue_query_count(
    bob, erin, billing, category, n, django_assert_num_queries
):
    billing.members.add(bob)
    for i in range(n):
        made = ask(category, f"Team question number {i}", 1 + i)
        actions.take(erin, made)
        actions.hand_over(erin, made, billing)
        actions.take(bob, ask(category, f"Bob's own question {i}", 2 + i))
    client = _client(bob)
    # session, user, rows (claimed ones only: no unclaimed thread is "mine"), threads, tags,
    # categories, open claims, open spike alerts (the banner), the viewer's repeated answers
    with django_assert_num_queries(9):
        response = client.get("/desk/?show=mine")
    assert len(response.context["rows"]) == 2 * n


def test_a_team_that_holds_claims_cannot_be_deleted(bob, billing, thread):
    from django.db.models import ProtectedError

    actions.take(bob, thread)
    actions.hand_over(bob, thread, billing)
    with pytest.raises(ProtectedError):
        billing.delete()


def test_a_superuser_sets_up_teams_in_the_admin(db):
    root = User.objects.create_superuser(email="root@example.com", password="x" * 12, display_name="Root")
    client = _client(root)
    assert client.get("/admin/desk/team/").status_code == 200
    staff = make_user("mia@example.com", "Mia", User.Role.STAFF)
    customer = make_user("cus@example.com", "Cus")
    form = client.get("/admin/desk/team/add/").content.decode()
    assert "Mia" in form and "Cus" not in form  # members are staff
    client.post(
        "/admin/desk/team/add/", {"name": "Billing team", "slug": "billing-team", "members": [staff.pk]}
    )
    assert list(Team.objects.get(slug="billing-team").members.all()) == [staff]
    assert customer.desk_teams.count() == 0


@pytest.mark.postgresql
def test_two_members_taking_a_team_claim_at_once_exactly_one_wins(bob, billing, category):
    import threading

    from django.db import connection

    from forum.models import Thread

    contested = ask(category, "Two members click Take it at once", 10)
    others = [make_user(f"member{i}@example.com", f"Member {i}", User.Role.STAFF) for i in range(4)]
    billing.members.add(*others)
    actions.take(bob, contested)
    actions.hand_over(bob, contested, billing)
    takers = list(billing.members.all())
    barrier = threading.Barrier(len(takers))
    won, refused, errors = [], [], []

    def click(user):
        try:
            barrier.wait(timeout=10)
            actions.take(user, Thread.objects.get(pk=contested.pk))
            won.append(user.pk)
        except InvalidAction as exc:
            refused.append(str(exc))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=click, args=(u,)) for u in takers]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert len(won) == 1 and len(refused) == len(takers) - 1
    claim = Claim.objects.get(thread=contested)
    assert (claim.holder_id, claim.team_id) == (won[0], None)
