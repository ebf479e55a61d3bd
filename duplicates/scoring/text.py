"""Text normalisation for the duplicate scorer: one place decides what a "term" is.

Forum text is messy (Qatar Living: mixed case, HTML entities, "u" for "you", numbers
written "15;000", links, misspellings), so terms are cheap and forgiving:
lowercased ASCII-folded alphanumeric runs, English stop words dropped, Snowball
(Porter 2) stems. (Character n-grams of titles, tried for misspellings, did not
improve cross-validated MAP on the training pack; see docs/duplicates.md.)
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import snowballstemmer

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z0-9]+")
_stemmer = snowballstemmer.stemmer("english")

# A short English stop list (function words and forum filler). Kept small on
# purpose: content words such as "best", "good" or "where" carry the intent of a
# question and stay in.
_STOP_LIST = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when which while who whom why will with would you your yours
    yourself yourselves u ur pls plz please thanks thank thx hi hello dear guys anyone
    anybody someone somebody im ive dont know want wanna would like also get got one
    s t d ll m re ve
"""
STOP_WORDS = frozenset(_STOP_LIST.split())


def normalise(text: str) -> str:
    """Lowercase, decode HTML entities, fold accents to ASCII and drop links."""
    text = html.unescape(text or "")
    text = _URL.sub(" ", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text.lower()


def words(text: str) -> list[str]:
    """All alphanumeric words of the normalised text, stop words included."""
    return _TOKEN.findall(normalise(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def terms(text: str) -> list[str]:
    """The stemmed content terms of a text, in order, with repeats."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


def term_counts(text: str) -> Counter[str]:
    return Counter(terms(text))
