"""No input makes masking or Markdown rendering backtrack (issue 11, item 6).

Each pattern meets 20,000-character strings built to make a backtracking
regex try every split of a run: long runs of what a pattern's repeated parts
accept, followed by what makes the match fail at the end. A watchdog
(SIGALRM, which Python's `re` checks while it matches) stops a call that runs
away; the limit is a hang detector, 20x above what a linear pattern needs on
a loaded machine, not a timing figure. Before the fix, "order" followed by 300
spaces alone took 21 s of CPU.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager

import pytest

from forum.markdown import mask_personal_data, nesting_too_deep, render_markdown
from forum.masking import BARE_PHONE, CARD, EMAIL, ORDER, PHONE, SPELLED_EMAIL

SIZE = 20_000
WATCHDOG_SECONDS = 2.0


class RanAwayError(Exception):
    pass


@contextmanager
def watchdog(seconds: float = WATCHDOG_SECONDS):
    def stop(signum, frame):
        raise RanAwayError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _fill(prefix: str, unit: str, suffix: str = "") -> str:
    room = SIZE - len(prefix) - len(suffix)
    return prefix + (unit * (room // len(unit) + 1))[:room] + suffix


ADVERSARIAL = {
    "order + spaces": _fill("order", " "),
    "order + spaces + tail": _fill("order", " ", "!"),
    "order number + spaces": _fill("order number", " ", "is"),
    "order words repeated": _fill("", "order number is : "),
    "order no. repeated": _fill("", "invoice no. "),
    "order + long letter run": _fill("order ", "A"),
    "order + dashes": _fill("order 1", "-", "!"),
    "order + digit-dash run": _fill("order ", "1-"),
    "email local part run": _fill("", "a.", "@"),
    "email domain run": _fill("a@", "b.", "-"),
    "email many ats": _fill("", "a@"),
    "email plus run": _fill("", "+", "@x"),
    "phone plus digits": _fill("+1", "1"),
    "phone plus groups": _fill("+1", " (1)", "x"),
    "phone repeated plus": _fill("", "+12 "),
    "phone zero groups": _fill("", "0123 "),
    "phone digit run": _fill("", "5"),
    "phone dashed run": _fill("", "555-"),
    "phone parenthesis": _fill("", "(555) "),
    "whitespace only": _fill("", " \t\n"),
    "spelled at chain": _fill("alice at ", "b dot "),
    "spelled bracket chain": _fill("alice[at]", "b[dot]", "[dot]"),
    "spelled at repeated": _fill("", "a at "),
    "spaced brackets": _fill("a (", " "),
    "card digit run": _fill("", "4"),
    "card spaced digits": _fill("", "4 "),
    "card dashed digits": _fill("", "4-"),
    "phone words then digits": _fill("call me on ", "1 "),
    "phone context repeated": _fill("", "call number "),
    "phone context long word": _fill("call ", "a"),
    "markdown markers": _fill("a@", "*"),
    "markdown split email": _fill("a", "*b", "@c.com"),
    "full-width at run": _fill("", "a\uff20"),
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
@pytest.mark.parametrize(
    "pattern",
    [EMAIL, SPELLED_EMAIL, CARD, ORDER, PHONE, BARE_PHONE],
    ids=["email", "spelled-email", "card", "order", "phone", "bare-phone"],
)
def test_no_pattern_backtracks_on_adversarial_input(pattern, name):
    text = ADVERSARIAL[name]
    assert len(text) == SIZE
    with watchdog():
        pattern.sub("", text)


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_render_markdown_finishes_on_adversarial_input(name):
    with watchdog():
        html = render_markdown(ADVERSARIAL[name])
    if ADVERSARIAL[name].strip():
        assert html.strip()  # rendered, not lost to an error


@pytest.mark.parametrize("spaces", [300, 19_995])
def test_order_followed_by_spaces_is_left_as_it_is(spaces):
    """The reported input: kept verbatim, since no order number follows."""
    text = "order" + " " * spaces
    with watchdog():
        assert mask_personal_data(text) == text


def test_deeply_nested_markdown_finishes_and_is_flagged_before_it_loses_text():
    nested = "> " * 5_000 + "deep\n\n" + "- " * 5_000 + "list\n\n" + "[" * 5_000 + "x" + "]" * 5_000
    with watchdog():
        render_markdown(nested)
        # markdown-it drops what lies past its nesting limit, so the forms refuse such a body.
        assert nesting_too_deep(nested)
    assert not nesting_too_deep("> quoted\n\n- a\n  - b\n    - c\n\n" + "[" * 5_000 + "x" + "]" * 5_000)


def test_watchdog_stops_a_backtracking_pattern():
    """The guard itself can fail: the pre-fix order pattern runs away on this input."""
    import re

    old = re.compile(
        r"\b(?P<word>order|invoice|receipt)(?P<sep>\s*(?:number|no\.?|id)?\s*(?:is|was)?\s*:?\s*)"
        r"(?P<num>#?(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{4,})\b",
        re.IGNORECASE,
    )
    with pytest.raises(RanAwayError), watchdog(0.5):
        old.sub("", "order" + " " * 2_000)
