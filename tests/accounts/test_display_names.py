"""Display names: nobody can pass for the team (issue 11, item 7)."""

from __future__ import annotations

import pytest

from accounts.models import User
from accounts.names import problem_with, skeleton

SETTINGS = "/account/settings/"


@pytest.mark.parametrize(
    "name",
    ["Staff", "staff", "\u0405taff", "5taff", "St. Aff", "Moderator", "Moderat0r", "Admin", "ADM1N", "\uff21\uff44\uff4d\uff49\uff4e",
     "Onefix", "OnefixStaff", "Onefix Support", "The Admin Team"],
)  # fmt: skip
def test_reserved_words_are_refused_in_any_shape(name):
    assert "can't contain words like" in problem_with(name, team_names=[])


@pytest.mark.parametrize(
    "name", ["Bob\u202eakanaT", "Bob\u200bTanaka", "Alice\u2066x\u2069", "Dave\u200f", "Eve\x00"]
)
def test_invisible_and_direction_characters_are_refused(name):
    assert "invisible and text-direction" in problem_with(name, team_names=[])


@pytest.mark.parametrize(
    "name",
    [
        "Bob Tanaka",
        "BOB TANAKA",
        "B0b Tanaka",
        "\u0412ob Tanaka",
        "\u212cob Tanaka",
        "bob  tanaka!",
        "Bob Tanaka.",
    ],
)
def test_look_alikes_of_a_team_members_name_are_refused(name):
    assert "looks like the name of a member of our team" in problem_with(name, team_names=["Bob Tanaka"])


@pytest.mark.parametrize(
    "name",
    ["Alice Moreau", "José García", "李小龙", "Müller", "Zoë", "Łukasz", "Дмитрий", "Anne-Marie", "Sam O'Neil",
     "Badminton fan", "Bobby Tanaka", "Modesto", "Stafford Lee"],
)  # fmt: skip
def test_ordinary_names_in_any_alphabet_are_welcome(name):
    assert problem_with(name, team_names=["Bob Tanaka", "Carol Mendes"]) is None


def test_skeleton_folds_look_alikes_together():
    assert skeleton("CaroI Mendes") == skeleton("Carol Mendes") == skeleton("Carol  MENDES")
    assert skeleton("Alice") != skeleton("Alina")


def test_signup_refuses_a_name_that_passes_for_staff(client, bob):
    response = client.post(
        "/accounts/signup/",
        {"email": "mallory@example.com", "display_name": "B0b Tanaka" if bob.display_name == "Bob Tanaka"
         else bob.display_name.upper(), "password1": "a-very-good-pass-42", "password2": "a-very-good-pass-42"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "looks like the name of a member of our team" in response.content.decode()
    assert not User.objects.filter(email="mallory@example.com").exists()


def test_settings_refuse_staff_and_keep_the_old_name(alice_client, alice):
    response = alice_client.post(SETTINGS, {"display_name": "Staff"})
    assert response.status_code == 200
    assert "contain words like" in response.content.decode()
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_a_team_member_may_keep_their_own_name(bob_client, bob):
    response = bob_client.post(SETTINGS, {"display_name": bob.display_name})
    assert response.status_code == 302
