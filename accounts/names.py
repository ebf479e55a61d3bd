"""Rules for public display names: nobody can pass for the team (issue 11).

A display name is refused when it
- holds invisible or text-direction characters (Unicode categories Cc, Cf, Co, Cs:
  bidirectional overrides can make "Bob" + U+202E + "ffats" read as "Bobstaff");
- has a word that is, or looks like, a reserved word ("staff", "moderator", "admin",
  the site's name …), in any script or letter shape: "\u0405taff" with a Cyrillic S, "ADM1N";
- looks like the name of a member of staff or a moderator (the same "skeleton");
- mixes scripts in a way Unicode lists as confusable (`is_dangerous`).

The skeleton follows the idea of Unicode TS #39: NFKC folds full-width and mathematical
letters, then each character that Unicode's confusables table says looks like an ASCII
letter or digit becomes the smallest such, so "l", "I", "1" and "|" all read the same;
then digits that stand for letters and letter pairs that read as one letter fold too.
The table comes from confusable_homoglyphs (the Unicode data, packaged).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables

RESERVED_WORDS = (
    "staff", "moderator", "moderators", "mod", "admin", "administrator", "onefix",
    "support", "official", "system",
)  # fmt: skip
_INVISIBLE = {"Cc", "Cf", "Co", "Cs"}
# Shapes the table leaves apart but a reader does not: digits for letters (ADM1N, B0b),
# i and l (upper-case I and l are one shape), and two letters that read as one.
_LEET = str.maketrans({"0": "o", "1": "l", "i": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})
_LOOKS_LIKE_ONE = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@lru_cache(maxsize=4096)
def _ascii_lookalike(ch: str) -> str:
    candidates = {ch} | {h["c"] for h in confusables.confusables_data.get(ch, ()) if len(h["c"]) == 1}
    ascii_ones = sorted(c for c in candidates if c.isascii() and c.isalnum())
    return ascii_ones[0] if ascii_ones else ch


def skeleton(text: str) -> str:
    """What a name looks like: look-alikes folded together, case and marks dropped,
    only letters and digits kept."""
    folded = unicodedata.normalize("NFKC", text)
    chars = []
    for ch in unicodedata.normalize("NFD", folded):
        if unicodedata.category(ch).startswith("M"):
            continue
        chars.append(_ascii_lookalike(ch))
    mapped = "".join(_ascii_lookalike(ch) for ch in "".join(chars).casefold())
    squashed = "".join(ch for ch in mapped if ch.isalnum()).translate(_LEET)
    for pair, single in _LOOKS_LIKE_ONE:
        squashed = squashed.replace(pair, single)
    return squashed


_RESERVED_SKELETONS = {skeleton(word) for word in RESERVED_WORDS}


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    return [w for w in re.split(r"[\W_]+", _CAMEL.sub(" ", text)) if w]


def problem_with(name: str, *, team_names: list[str]) -> str | None:
    """Why this display name cannot be used, or None. `team_names`: the display names of
    staff and moderators other than the person choosing the name."""
    if any(unicodedata.category(ch) in _INVISIBLE for ch in name):
        return "Use visible letters only: invisible and text-direction characters are not allowed."
    whole = skeleton(name)
    if whole in _RESERVED_SKELETONS or any(skeleton(word) in _RESERVED_SKELETONS for word in _words(name)):
        return (
            "Names can't contain words like “staff”, “moderator”, “admin” or “Onefix”, so nobody "
            "can pass for our team. Please choose another."
        )
    if whole and any(whole == skeleton(team) for team in team_names):
        return "This name looks like the name of a member of our team. Please choose another."
    if confusables.is_dangerous(name):
        return "This name mixes alphabets in a way that can look like another name. Please use one alphabet."
    return None
