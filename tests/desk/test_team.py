"""/desk/team/ (issue 10 item 6): per staff member, today and 7 days; flags, no ranking; on duty."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from desk import actions, workload
from desk.models import StaffProfile, Team
from forum import actions as forum_actions
from tests.conftest import make_user
from tests.desk.conftest import ask, link


def test_workload_counts_replies_official_answers_claims_first_responses(bob, erin, category):
    a = ask(category, "First question for the team", 3)
    b = ask(category, "Second question for the team", 2)
    post = forum_actions.add_answer(a, bob, "Try the new version.")
    forum_actions.add_answer(b, bob, "Known issue.")
    forum_actions.mark_official(post, bob)
    actions.take(erin, ask(category, "Third question, taken by Erin", 1))
    team = {p.user.pk: p for p in workload.team_workload(timezone.now())}
    assert (team[bob.pk].replies_today, team[bob.pk].replies_week) == (2, 2)
    assert team[bob.pk].official_week == 1
    assert team[erin.pk].open_claims == 1
    assert abs(team[bob.pk].median_first_response - 2.5) < 0.01  # 3 h and 2 h
    assert team[erin.pk].median_first_response is None


def test_repeated_firefighting_counts_replies_in_clusters_answered_before(bob, category):
    a = ask(category, "Widget crashes on start", 10)
    b = ask(category, "Widget crash at launch", 9)
    link(a, b, bob)
    forum_actions.add_answer(a, bob, "Reinstall the widget.", created_at=timezone.now() - timedelta(hours=5))
    forum_actions.add_answer(b, bob, "Reinstall the widget, as on the other thread.")
    team = {p.user.pk: p for p in workload.team_workload(timezone.now())}
    assert team[bob.pk].repeated == 1


def test_someone_at_the_cap_or_above_one_and_a_half_times_the_median_is_flagged(
    bob_client, bob, erin, category, settings
):
    settings.DESK_CLAIM_CAP = 2
    for i in range(2):
        actions.take(bob, ask(category, f"Bob holds question number {i}", 1 + i))
    html = bob_client.get("/desk/team/").content.decode()
    assert "at the cap of 2 claims" in html
    assert "times the team median" in html  # bob 2, erin 0: median 1


def test_the_team_page_lists_people_by_name_not_by_output(bob_client, bob, erin, category):
    for i in range(3):
        forum_actions.add_answer(ask(category, f"Erin answered number {i}", 1), erin, "Answer text here.")
    html = bob_client.get("/desk/team/").content.decode()
    assert html.index(">Bob<") < html.index(">Erin<")  # alphabetical, though Erin did more


def test_the_on_duty_switch(bob_client, bob):
    bob_client.post("/desk/duty/", {"on_duty": "0"})
    assert StaffProfile.objects.get(user=bob).on_duty is False
    assert "Go on duty" in bob_client.get("/desk/team/").content.decode()
    bob_client.post("/desk/duty/", {"on_duty": "1"})
    assert StaffProfile.objects.get(user=bob).on_duty is True


@pytest.mark.parametrize("n", [1, 8])
def test_team_page_query_count_is_fixed(bob_client, bob, category, n, django_assert_num_queries):
    actions.set_areas(bob, [category.pk])
    for i in range(n):
        colleague = make_user(f"colleague{i}@example.com", f"Colleague {i}", "staff")
        thread = ask(category, f"Question answered by colleague {i}", 2)
        forum_actions.add_answer(thread, colleague, "Here is the answer.")
        actions.take(colleague, ask(category, f"Question taken by colleague {i}", 1))
        team = Team.objects.create(name=f"Team {i}", slug=f"team-{i}")
        team.members.add(colleague, bob)
        team.areas.add(category)
    # session, user, staff, profiles, replies, official, claims, first responses, clusters;
    # your settings: your profile, its areas, the areas to choose from; the teams, their
    # members, their areas
    with django_assert_num_queries(15):
        assert bob_client.get("/desk/team/").status_code == 200
