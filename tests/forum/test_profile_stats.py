"""The forum's figures on a person's public profile."""

from forum import actions


def test_profile_shows_answers_accepted_official_and_questions(client, thread, alice, bob, dave, carol):
    first = actions.add_answer(thread, bob, "Official fix")
    actions.add_answer(thread, bob, "Another note")
    actions.mark_official(first, bob)
    actions.accept_solution(thread, first, alice)
    deleted = actions.add_answer(thread, bob, "Deleted one")
    actions.delete_post(deleted, carol)
    response = client.get(f"/users/{bob.pk}/")
    assert dict(response.context["stats"]) == {
        "Answers": 2,
        "Accepted solutions": 1,
        "Official answers": 1,
        "Questions": 0,
    }
    assert dict(client.get(f"/users/{alice.pk}/").context["stats"])["Questions"] == 1
