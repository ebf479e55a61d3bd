"""Turn what a person typed into a small, safe query structure.

The grammar is the one people know from web search engines (and PostgreSQL's
websearch_to_tsquery): words are ANDed, "quoted words" are a phrase, `or`
between terms is OR, `-word` excludes. AND binds tighter than OR, so
`a or b c` means a OR (b AND c) — on both backends, because both are fed from
this one structure.

Contractions ("cant", "can't", "doesnt") are dropped like stop words, and a word
that people also write as two ("login", "log in", "sign in") matches every form
(search/text.py and SAME_MEANING below).

Nothing the user types reaches a query language unquoted: every term is reduced
to its word characters, so no input can raise a syntax error in FTS5 or
PostgreSQL.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import product

from search.text import STOPWORDS, clean, is_contraction, words

MAX_TERMS = 32
MAX_WEB_GROUPS = 64  # or-groups of one websearch_to_tsquery string (see to_websearch)
MAX_WORD_CHARS = 60
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


# Forms people write as one word, as two or with a hyphen, for one thing. A term typed
# in any of these forms matches every form of its line. Kept short on purpose: each
# form is one more alternative for the full-text index to look up.
SAME_MEANING: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("login",), ("log", "in"), ("logon",), ("log", "on"), ("signin",), ("sign", "in")),
    (("logout",), ("log", "out"), ("logoff",), ("log", "off"), ("signout",), ("sign", "out")),
    (("signup",), ("sign", "up")),
)
_FORMS = {form: line for line in SAME_MEANING for form in line}


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    # Other forms that mean the same ("log in" for "login"); any one of them matches.
    alternatives: tuple[tuple[str, ...], ...] = ()

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def forms(self) -> tuple[tuple[str, ...], ...]:
        return (self.words, *self.alternatives)


def with_same_meaning(found: tuple[str, ...]) -> Term:
    line = _FORMS.get(found)
    if line is None:
        return Term(found)
    return Term(found, tuple(form for form in line if form != found))


@dataclass
class Group:
    """Terms that must all match (AND), minus the excluded ones."""

    include: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)


@dataclass
class ParsedQuery:
    groups: list[Group]  # ORed together
    notes: list[str] = field(default_factory=list)  # what we changed, told to the user

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def plain_words(self) -> list[str]:
        """Single included words (not phrases): what "did you mean" may correct."""
        return [t.words[0] for g in self.groups for t in g.include if not t.is_phrase]

    @property
    def is_simple_and(self) -> bool:
        return len(self.groups) == 1 and not self.groups[0].exclude and len(self.groups[0].include) > 1


def _term(raw: str, *, phrase: bool) -> Term | None:
    if not phrase and is_contraction(raw):
        return None  # "cant", "doesn't": only stop words once expanded
    found = [w[:MAX_WORD_CHARS] for w in words(raw)]
    if not phrase:
        # A plain token such as "wi-fi" stays a phrase of its parts; stop words
        # alone carry no meaning (PostgreSQL drops them too).
        found = [w for w in found if w not in STOPWORDS] if len(found) == 1 else found
        if len(found) > 1 and all(w in STOPWORDS for w in found):
            found = []
    if not found:
        return None
    return Term(tuple(found)) if phrase else with_same_meaning(tuple(found))


def _joined(previous: Term | None, bare: str) -> Term | None:
    """`log` then `in` typed as two words: the term for "log in" with its other forms."""
    if previous is None or previous.is_phrase:
        return None
    pair = (previous.words[0], *words(bare))
    return with_same_meaning(pair) if len(pair) == 2 and pair in _FORMS else None


def parse(text: str | None) -> ParsedQuery:
    text = clean(text or "")
    groups: list[Group] = [Group()]
    notes: list[str] = []
    count = 0
    pending_or = False
    only_common = False  # some input was words, but only stop words
    previous: Term | None = None  # the word just added, if it may join the next ("log" + "in")
    for match in _TOKEN.finditer(text):
        negate_phrase, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            pending_or, previous = True, None
            continue
        if phrase is not None:
            negate, term = bool(negate_phrase), _term(phrase, phrase=True)
        elif not pending_or and (joined := _joined(previous, bare)) is not None:
            groups[-1].include[-1] = previous = joined
            continue
        else:
            negate = bare.startswith("-") and len(bare) > 1
            term = _term(bare[1:] if negate else bare, phrase=False)
        previous = None
        if term is None:
            only_common = only_common or bool(words(phrase if phrase is not None else bare))
            continue
        if count >= MAX_TERMS:
            notes.append(f"Only the first {MAX_TERMS} words of your search were used.")
            break
        count += 1
        if pending_or and (groups[-1].include or groups[-1].exclude):
            groups.append(Group())
        pending_or = False
        (groups[-1].exclude if negate else groups[-1].include).append(term)
        previous = None if negate or phrase is not None else term
    kept = [g for g in groups if g.include]
    if any(g.exclude and not g.include for g in groups):
        notes.append("Excluding words (-word) needs at least one word to search for.")
    elif not kept and only_common:
        notes.append(
            "Very common words such as “how” or “the” are ignored: add a word that describes the problem."
        )
    return ParsedQuery(groups=kept, notes=notes)


def _fts5_form(form: tuple[str, ...]) -> str:
    return '"' + " ".join(form).replace('"', '""') + '"'


def _fts5_term(term: Term) -> str:
    if not term.alternatives:
        return _fts5_form(term.words)
    return "(" + " OR ".join(_fts5_form(form) for form in term.forms) + ")"


def to_fts5(parsed: ParsedQuery, columns: tuple[str, ...] = ()) -> str:
    """FTS5 MATCH syntax: every term quoted, explicit AND/NOT/OR, parentheses per group.

    `columns` restricts the whole expression to those columns (`{title tags_text} : (...)`).
    """
    if columns:
        return "{" + " ".join(columns) + "} : (" + to_fts5(parsed) + ")"
    parts = []
    for group in parsed.groups:
        expr = "(" + " AND ".join(_fts5_term(t) for t in group.include) + ")"
        for term in group.exclude:
            expr = f"({expr} NOT {_fts5_term(term)})"
        parts.append(expr)
    return " OR ".join(parts)


def _web_form(form: tuple[str, ...]) -> str:
    return '"' + " ".join(form) + '"' if len(form) > 1 else form[0]


def to_websearch(parsed: ParsedQuery) -> str:
    """A normalised websearch_to_tsquery string built from word characters only.

    websearch_to_tsquery has no parentheses, so a term with other forms multiplies
    its group: `a login` becomes `a login or a "log in" or ...` (same meaning, since
    AND binds tighter than `or`). Past MAX_WEB_GROUPS groups ("login logout signup
    login ...") the other forms are left out rather than the query growing
    exponentially; FTS5 lists them inside the term and needs no such limit.
    """
    sizes = [math.prod(len(t.forms) for t in g.include) for g in parsed.groups]
    with_forms = sum(sizes) <= MAX_WEB_GROUPS
    parts = []
    for group in parsed.groups:
        excluded = ["-" + _web_form(form) for t in group.exclude for form in _forms(t, with_forms)]
        for forms in product(*(_forms(t, with_forms) for t in group.include)):
            parts.append(" ".join([_web_form(form) for form in forms] + excluded))
    return " or ".join(parts)


def _forms(term: Term, with_forms: bool) -> tuple[tuple[str, ...], ...]:
    return term.forms if with_forms else (term.words,)


def any_of(terms: list[str]) -> ParsedQuery:
    """An OR query over single words (candidate retrieval, relaxed fallback)."""
    return ParsedQuery(groups=[Group(include=[Term((w,))]) for w in terms])
