"""What the thread page now keeps between requests (issue 14, item 4: the blank comment
forms, the header's and footer's links, the panels' SQL) holds nothing of one viewer:
alice, bob (staff) and a visitor reading the same thread one after the other in one
process each see their own buttons, their own CSRF token, and nobody else's."""

from __future__ import annotations

import re

from django.middleware.csrf import _unmask_cipher_token

from forum import actions

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page(client, thread) -> str:
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_viewers_in_turn_see_only_their_own_tools(client, alice_client, bob_client, thread, answer, bob):
    actions.add_comment(thread, bob, "Which version are you on?", post=answer)
    pages = {}
    for name, who in (
        ("bob", bob_client),
        ("alice", alice_client),
        ("visitor", client),
        ("bob again", bob_client),
    ):
        pages[name] = _page(who, thread)
    # Staff tools (Mark official, Lock, the desk panel) only for bob, both times.
    for name, html in pages.items():
        staff = name.startswith("bob")
        assert ("★ Mark official" in html) is staff, name
        assert ("Staff-only notes" in html) is staff, name
    # The asker's own note only for alice; Accept for the asker (and staff), never a visitor.
    note = "You asked this, so you are already counted."
    assert note in pages["alice"]
    assert all(note not in pages[name] for name in ("bob", "visitor", "bob again"))
    assert "✓ Accept as solution" in pages["alice"] and "✓ Accept as solution" not in pages["visitor"]
    # Signed in or not, in the blank forms kept for the process.
    assert "Sign in and post comment" in pages["visitor"]
    assert "Sign in and post comment" not in pages["alice"] and "Post comment" in pages["alice"]
    # Each viewer's forms carry that viewer's CSRF secret only (each form's token is masked
    # differently; unmasked, one secret a viewer).
    secrets = {name: {_unmask_cipher_token(t) for t in TOKEN.findall(html)} for name, html in pages.items()}
    assert all(len(found) == 1 for found in secrets.values()), secrets
    assert len({next(iter(secrets[n])) for n in ("bob", "alice", "visitor")}) == 3


def test_every_answer_gets_its_own_blank_comment_form(client, thread, dave, carol):
    first = actions.add_answer(thread, dave, "First answer")
    second = actions.add_answer(thread, carol, "Second answer")
    for _ in range(2):  # the second page view is served from the kept forms
        html = _page(client, thread)
        for post in (first, second):
            assert f'name="post" value="{post.pk}" id="comment-{post.pk}-post"' in html
            assert f'id="comment-{post.pk}-comment"' in html
        assert 'id="comment-q-post"' in html and 'id="comment-q-comment"' in html
        assert "918273645546372819" not in html  # the placeholder never shows
