"""Turn what a person typed into a small, safe query structure.

The grammar is the one people know from web search engines (and PostgreSQL's
websearch_to_tsquery): words are ANDed, "quoted words" are a phrase, `or`
between terms is OR, `-word` excludes. AND binds tighter than OR, so
`a or b c` means a OR (b AND c) — on both backends, because both are fed from
this one structure.

Nothing the user types reaches a query language unquoted: every term is reduced
to its word characters, so no input can raise a syntax error in FTS5 or
PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.text import STOPWORDS, clean, words

MAX_TERMS = 32
MAX_WORD_CHARS = 60
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


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
    found = [w[:MAX_WORD_CHARS] for w in words(raw)]
    if not phrase:
        # A plain token such as "wi-fi" stays a phrase of its parts; stop words
        # alone carry no meaning (PostgreSQL drops them too).
        found = [w for w in found if w not in STOPWORDS] if len(found) == 1 else found
        if len(found) > 1 and all(w in STOPWORDS for w in found):
            found = []
    return Term(tuple(found)) if found else None


def parse(text: str | None) -> ParsedQuery:
    text = clean(text or "")
    groups: list[Group] = [Group()]
    notes: list[str] = []
    count = 0
    pending_or = False
    only_common = False  # some input was words, but only stop words
    for match in _TOKEN.finditer(text):
        negate_phrase, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            pending_or = True
            continue
        if phrase is not None:
            negate, term = bool(negate_phrase), _term(phrase, phrase=True)
        else:
            negate = bare.startswith("-") and len(bare) > 1
            term = _term(bare[1:] if negate else bare, phrase=False)
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
    kept = [g for g in groups if g.include]
    if any(g.exclude and not g.include for g in groups):
        notes.append("Excluding words (-word) needs at least one word to search for.")
    elif not kept and only_common:
        notes.append(
            "Very common words such as “how” or “the” are ignored: add a word that describes the problem."
        )
    return ParsedQuery(groups=kept, notes=notes)


def _fts5_term(term: Term) -> str:
    return '"' + " ".join(term.words).replace('"', '""') + '"'


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


def _web_term(term: Term) -> str:
    return '"' + " ".join(term.words) + '"' if term.is_phrase else term.words[0]


def to_websearch(parsed: ParsedQuery) -> str:
    """A normalised websearch_to_tsquery string built from word characters only."""
    parts = []
    for group in parsed.groups:
        terms = [_web_term(t) for t in group.include] + ["-" + _web_term(t) for t in group.exclude]
        parts.append(" ".join(terms))
    return " or ".join(parts)


def any_of(terms: list[str]) -> ParsedQuery:
    """An OR query over single words (candidate retrieval, relaxed fallback)."""
    return ParsedQuery(groups=[Group(include=[Term((w,))]) for w in terms])
