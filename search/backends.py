"""The two full-text backends: the SQL that differs between PostgreSQL and SQLite.

Each backend turns a ParsedQuery into a FROM/WHERE fragment over
`search_searchentry e` plus a score expression (higher is better), and knows how
to cut highlighted snippets for a page of hits. Everything else (filters, facets,
paging) is shared SQL in search/query.py.

Highlights come back wrapped in the control characters \\x01 and \\x02, which the
index strips from all text, so the caller can HTML-escape the snippet and then
turn exactly those characters into <mark> tags.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db import connection

from search.parse import ParsedQuery, to_fts5, to_websearch

MARK_OPEN, MARK_CLOSE = "\x01", "\x02"
# SQLite allows 500 terms in a compound SELECT; stay well below it.
MATCHING_CHUNK = 200


@dataclass
class Match:
    from_sql: str  # a FROM clause that exposes the entry as `e`
    where_sql: str
    params: list
    score_sql: str  # higher is better; only valid in a query with from_sql
    score_params: list


class PostgresBackend:
    vendor = "postgresql"
    ordered_join = "JOIN"
    # ts_headline works on the original text; options: two fragments of up to 30 words.
    _HEADLINE = (
        f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=30, MinWords=12, "
        'ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
    )

    def match(self, parsed: ParsedQuery) -> Match:
        return Match(
            from_sql="search_searchentry e CROSS JOIN websearch_to_tsquery('english', %s) q",
            where_sql="e.search_vector @@ q",
            params=[to_websearch(parsed)],
            # Cover density rank (title A, tags B, body C) times the document's prior.
            score_sql="ts_rank_cd(e.search_vector, q) * e.boost",
            score_params=[],
        )

    def match_titles(self, parsed: ParsedQuery) -> Match:
        """Match and rank on title and tags only (the small title_vector)."""
        return Match(
            from_sql="search_searchentry e CROSS JOIN websearch_to_tsquery('english', %s) q",
            where_sql="e.title_vector @@ q",
            params=[to_websearch(parsed)],
            score_sql="ts_rank_cd(e.title_vector, q) * e.boost",
            score_params=[],
        )

    def matching(self, entry_id: int, queries: list[ParsedQuery]) -> set[int]:
        """Which of `queries` (by position) match the one entry: one statement."""
        sql = (
            "SELECT t.i FROM search_searchentry e "
            "CROSS JOIN unnest(%s::text[]) WITH ORDINALITY AS t(q, i) "
            "WHERE e.id = %s AND e.search_vector @@ websearch_to_tsquery('english', t.q)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [[to_websearch(p) for p in queries], entry_id])
            return {int(row[0]) - 1 for row in cursor.fetchall()}

    def highlights(self, parsed: ParsedQuery, ids: list[int]) -> dict[int, tuple[str, str]]:
        if not ids:
            return {}
        sql = (
            "SELECT e.id, ts_headline('english', e.title, q, %s), ts_headline('english', e.body, q, %s) "
            "FROM search_searchentry e CROSS JOIN websearch_to_tsquery('english', %s) q WHERE e.id = ANY(%s)"
        )
        title_opts = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, HighlightAll=true"
        with connection.cursor() as cursor:
            cursor.execute(sql, [title_opts, self._HEADLINE, to_websearch(parsed), list(ids)])
            return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}

    def close_words(self, word: str) -> list[str]:
        """Vocabulary words that look like `word`, best first (pg_trgm, GIN-indexed)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_searchword WHERE word %% %s AND frequency > 0 "
                "ORDER BY similarity(word, %s) DESC, frequency DESC, word LIMIT 3",
                [word, word],
            )
            return [row[0] for row in cursor.fetchall()]


class SqliteBackend:
    vendor = "sqlite"
    # SQLite keeps the table order of a CROSS JOIN: walk the (few) matches and look
    # their rows up, instead of scanning a whole table and probing the matches.
    ordered_join = "CROSS JOIN"
    # bm25 column weights: title, tags, body (same order of importance as A, B, C).
    _BM25 = "bm25(search_entry_fts, 10.0, 4.0, 1.0)"

    def match(self, parsed: ParsedQuery) -> Match:
        return Match(
            # CROSS JOIN fixes the join order in SQLite: walk the FTS matches, then look
            # rows up by id. Left to itself the planner may scan every entry and probe
            # the FTS table once per row (25 ms instead of 1 ms at 100k documents).
            from_sql="search_entry_fts CROSS JOIN search_searchentry e ON e.id = search_entry_fts.rowid",
            where_sql="search_entry_fts MATCH %s",
            params=[to_fts5(parsed)],
            # bm25() is lower-is-better and negative; negate it so higher is better.
            score_sql=f"-{self._BM25} * e.boost",
            score_params=[],
        )

    def match_titles(self, parsed: ParsedQuery) -> Match:
        """Match and rank on title and tags only (an FTS5 column filter)."""
        match = self.match(parsed)
        match.params = [to_fts5(parsed, columns=("title", "tags_text"))]
        return match

    def matching(self, entry_id: int, queries: list[ParsedQuery]) -> set[int]:
        """Which of `queries` (by position) match the one entry: FTS5 takes one MATCH
        per SELECT, so one compound statement per MATCHING_CHUNK queries."""
        found: set[int] = set()
        for start in range(0, len(queries), MATCHING_CHUNK):
            chunk = queries[start : start + MATCHING_CHUNK]
            one = "SELECT %s FROM search_entry_fts WHERE rowid = %s AND search_entry_fts MATCH %s"
            params: list = []
            for i, parsed in enumerate(chunk, start):
                params += [i, entry_id, to_fts5(parsed)]
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join([one] * len(chunk)), params)
                found.update(int(row[0]) for row in cursor.fetchall())
        return found

    def highlights(self, parsed: ParsedQuery, ids: list[int]) -> dict[int, tuple[str, str]]:
        if not ids:
            return {}
        marks = f"'{MARK_OPEN}', '{MARK_CLOSE}'"
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT rowid, highlight(search_entry_fts, 0, {marks}), "  # noqa: S608 - constants and placeholders
            f"snippet(search_entry_fts, 2, {marks}, ' … ', 28) "
            f"FROM search_entry_fts WHERE search_entry_fts MATCH %s AND rowid IN ({placeholders})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [to_fts5(parsed), *ids])
            return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}

    def close_words(self, word: str) -> list[str]:
        """Vocabulary words that look like `word`: same first letter, similar length,
        ranked by difflib (SQLite has no trigram index)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_searchword WHERE word >= %s AND word < %s "
                "AND length(word) BETWEEN %s AND %s AND frequency > 0",
                [word[0], word[0] + "\U0010ffff", len(word) - 2, len(word) + 2],
            )
            candidates = [row[0] for row in cursor.fetchall()]
        return difflib.get_close_matches(word, candidates, n=3, cutoff=0.75)


def get_backend():
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")
