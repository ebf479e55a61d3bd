"""A promoted draft starts from the fix (issue 12, item 7): the greeting, thanks or
apology a staff reply opens with and the sign-off it ends with are left out; the steps,
code and sentences about the product stay."""

from __future__ import annotations

import pytest

from forum import actions as forum_actions
from forum.conversation import strip_conversation
from kb import actions

STEPS = "1. Open *Settings → Sync → Upload queue*.\n2. Choose **Skip for now**.\n3. Press **Sync now**."

# (what the staff member wrote, what the draft starts from)
CASES = [
    # A greeting, thanks or apology of its own: the paragraph goes.
    ("greeting-thanks-with-name", f"Thanks for the clear report, Nora.\n\n{STEPS}", STEPS),
    ("hi-name-comma", f"Hi Tom,\n\n{STEPS}", STEPS),
    (
        "hello-name-bang-then-the-fix",
        "Hello Nora! The upload queue stalls behind an attachment over 25 MB.\n\n" + STEPS,
        "The upload queue stalls behind an attachment over 25 MB.\n\n" + STEPS,
    ),
    ("sorry-to-hear-ellipsis", f"Sorry to hear that…\n\n{STEPS}", STEPS),
    (
        "stacked-opening",
        f"Hi Ana,\n\nThank you so much for reaching out! I'm sorry for the trouble.\n\n{STEPS}",
        STEPS,
    ),
    (
        "thanks-clause-before-the-cause",
        "Thanks for the details, this is a known problem in 4.2.0 on Windows: the upload queue stalls.\n\n"
        + STEPS,
        "This is a known problem in 4.2.0 on Windows: the upload queue stalls.\n\n" + STEPS,
    ),
    (
        "hey-there-dash",
        "Hey there — error 1603 means the old version could not be closed.",
        "Error 1603 means the old version could not be closed.",
    ),
    # Sign-offs at the end.
    ("hope-this-helps", f"{STEPS}\n\nHope this helps!", STEPS),
    ("let-me-know-and-name", f"{STEPS}\n\nLet me know if that works for you.\n\nBest,\nMia", STEPS),
    (
        "sign-off-sentence-in-the-last-paragraph",
        "Sign out and in again. Everything syncs within a minute. Hope that helps, Ana!",
        "Sign out and in again. Everything syncs within a minute.",
    ),
    ("thanks-for-your-patience-at-the-end", f"{STEPS}\n\nThanks for your patience!\nHappy syncing!", STEPS),
    ("cheers-alone", f"{STEPS}\n\nCheers", STEPS),
    ("cheers-name", f"{STEPS}\n\nCheers, Bob", STEPS),
    ("dash-signature", f"{STEPS}\n\n— Mia", STEPS),
    ("kind-regards-team", f"{STEPS}\n\nKind regards,\nBob from Brightdesk Support", STEPS),
    (
        "both-ends",
        f"Hi Nora,\n\nThanks for your patience while we looked into this.\n\n{STEPS}\n\nHope this helps! :)\n\nBest, Mia",
        STEPS,
    ),
    # Not conversation: left exactly as written.
    (
        "thanks-to-the-product",
        "Thanks to the new sync engine, notes sync in seconds once you update to 4.2.1.",
        "Thanks to the new sync engine, notes sync in seconds once you update to 4.2.1.",
    ),
    (
        "hi-dpi-is-not-hi",
        "Hi-DPI screens: turn on *Settings → Display → Scale*.",
        "Hi-DPI screens: turn on *Settings → Display → Scale*.",
    ),
    (
        "hello-world-template",
        "Hello World template: choose *File → New from template*.",
        "Hello World template: choose *File → New from template*.",
    ),
    (
        "sorry-that-states-the-answer",
        "Sorry, the PDF exporter cannot keep column alignment yet. Export to HTML and print that.",
        "Sorry, the PDF exporter cannot keep column alignment yet. Export to HTML and print that.",
    ),
    (
        "best-practice-at-the-end",
        f"{STEPS}\n\nBest practice: keep attachments under 25 MB.",
        f"{STEPS}\n\nBest practice: keep attachments under 25 MB.",
    ),
    (
        "let-us-know-inside-a-sentence",
        f"{STEPS}\n\nIf it still fails, let us know your version in a new question.",
        f"{STEPS}\n\nIf it still fails, let us know your version in a new question.",
    ),
    (
        "a-list-ending-in-a-name-like-word",
        "Restart both apps:\n\n- Desktop\n- Mobile",
        "Restart both apps:\n\n- Desktop\n- Mobile",
    ),
    (
        "code-block-at-the-end",
        "Reset the cache:\n\n```\nbrightdesk --reset-cache\n# Cheers\n```",
        "Reset the cache:\n\n```\nbrightdesk --reset-cache\n# Cheers\n```",
    ),
    (
        "lowercase-product-name-kept",
        "Hi Tom, iOS 17 needs *Background refresh* on for sync.",
        "iOS 17 needs *Background refresh* on for sync.",
    ),
    ("only-a-greeting-is-kept-whole", "Thanks, Nora!", "Thanks, Nora!"),
]


@pytest.mark.parametrize(("reply", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_strip_conversation(reply, expected):
    assert strip_conversation(reply) == expected


def test_a_promoted_draft_starts_from_the_fix(thread, bob):
    answer = forum_actions.add_answer(
        thread,
        bob,
        "Thanks for the clear report, Nora.\n\n## Skip the stalled upload\n\n"
        "Open *Settings → Sync* and choose **Skip**.\n\nHope this helps!\n\nBest, Bob",
    )
    draft = actions.promote(answer, bob)
    assert draft.body_md == "## Skip the stalled upload\n\nOpen *Settings → Sync* and choose **Skip**."
    assert draft.body_html.startswith('<h2 id="skip-the-stalled-upload">')
    # The question's words are not the article's summary either: staff write one.
    assert draft.summary == ""
    assert draft.title == thread.title  # the problem, named as the customer searched for it
    assert draft.revisions.get().body_md == draft.body_md
