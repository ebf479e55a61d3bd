"""Example searches for the search page's help, taken from the site's own content.

A help page that suggests "printer offline" on a notes app tells people the site does
not know its own subject (issue 12, item 8). The examples come from two places:

- the documents people need most, as the app that indexes a kind says
  (`register_kind(..., popular=fn)`: `fn(limit)` returns object ids, most needed
  first; the forum gives its most-affected solved threads). Search shows them with
  the title and URL of their public index entry, so nothing hidden can leak;
- the tags used most on public documents. The syntax guide is written with them, so
  every example is made of words this site's documents use.

Both are cached for EXAMPLES_CACHE_SECONDS: with a warm cache the page makes no query
for them (three when the cache is cold: the apps' popular ids, their entries, tags).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection

from search.kinds import all_kinds

EXAMPLES_CACHE_SECONDS = 600
CACHE_KEY = "search:examples:v1"
POPULAR_LIMIT = 5
TAG_LIMIT = 8
_ONE_WORD = re.compile(r"[^\W\d_]{3,}")  # letters only: "sync", not "4-2" or "error-1603"
_PHRASE = re.compile(r"[^\W\d_]{2,}(?:[- ][^\W\d_]{2,})+")  # "dark-mode", "offline notebooks"

# For a site with no content yet: plain words that fit any product.
FALLBACK_SYNTAX = [
    ("error update", "results with both words (and their other forms: “errors”, “updating”)"),
    ('"error message"', "the exact phrase"),
    ("windows or mac", "either word"),
    ("crash -update", "leave out results that mention “update”"),
]


@dataclass(frozen=True)
class Example:
    title: str
    url: str


@dataclass
class Examples:
    popular: list[Example] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # most used first
    pair: tuple[str, str] | None = None  # two one-word tags of one popular document

    @property
    def syntax(self) -> list[tuple[str, str]]:
        """(query, what it finds) for the syntax guide, in this site's words."""
        words = [t for t in self.tags if _ONE_WORD.fullmatch(t)]
        phrases = [t for t in self.tags if _PHRASE.fullmatch(t)]
        both = self.pair or (tuple(words[:2]) if len(words) >= 2 else None)
        if not both or len(words) < 3:
            return FALLBACK_SYNTAX
        a, b = both
        others = [w for w in words if w not in both]
        rows = [(f"{a} {b}", "results with both words (and their other forms)")]
        if phrases:
            rows.append((f'"{phrases[0].replace("-", " ")}"', "the exact phrase"))
        rows.append((f"{a} or {others[0]}", "either word"))
        rows.append((f"{a} -{b}", f"leave out results that mention “{b}”"))
        return rows


def examples() -> Examples:
    """The cached examples (see the module docstring)."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = _collect()
        cache.set(CACHE_KEY, found, EXAMPLES_CACHE_SECONDS)
    return found


def _collect() -> Examples:
    from search.models import SearchEntry

    wanted: list[tuple[str, int]] = []
    for kind in all_kinds():
        if kind.popular is not None:
            wanted += [(kind.name, int(object_id)) for object_id in kind.popular(POPULAR_LIMIT)]
    popular: list[Example] = []
    pair = None
    if wanted:
        entries = SearchEntry.objects.filter(is_public=True)
        by_kind: dict[str, list[int]] = {}
        for kind_name, object_id in wanted:
            by_kind.setdefault(kind_name, []).append(object_id)
        rows = {}
        for kind_name, ids in by_kind.items():
            for row in entries.filter(kind=kind_name, object_id__in=ids).values(
                "kind", "object_id", "title", "url", "tags_text"
            ):
                rows[(row["kind"], row["object_id"])] = row
        for key in wanted:
            row = rows.get(key)
            if row is None:
                continue
            popular.append(Example(row["title"], row["url"]))
            one_word = [t for t in row["tags_text"].split("\n") if _ONE_WORD.fullmatch(t)]
            if pair is None and len(one_word) >= 2:
                pair = (one_word[0], one_word[1])
        popular = popular[:POPULAR_LIMIT]
    return Examples(popular=popular, tags=_top_tags(), pair=pair)


def _top_tags() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.name, count(*) AS n FROM search_searchtag t "
            "JOIN search_searchentry e ON e.id = t.entry_id WHERE e.is_public = %s "
            "GROUP BY t.name ORDER BY n DESC, t.name LIMIT %s",
            [True, TAG_LIMIT],
        )
        return [row[0] for row in cursor.fetchall()]
