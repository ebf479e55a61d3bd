"""Read side of search: one function for the search page, one for candidates.

    from search import query, similar
    results = query("printer offline", kinds=["thread"], user=request.user, page=2)
    candidates = similar(thread.title, thread.body, kinds=("thread",), exclude=[("thread", thread.pk)])

The same SQL shape runs on both databases; only the text match, the score and
the snippets come from the backend (search/backends.py).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from django.db import connection
from snowballstemmer import stemmer

from search import viewers
from search.backends import MARK_CLOSE, MARK_OPEN, get_backend
from search.kinds import Kind, get_kind
from search.parse import Group, ParsedQuery, Term, any_of, parse
from search.text import clean, salient_terms

MAX_PER_PAGE = 50
TAG_FACET_SIZE = 15
EMPTY_QUERY_MESSAGE = "Type a few words that describe your problem: what you use and what goes wrong."


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    url: str
    tags: list[str]
    category: str
    category_name: str
    solved: bool
    score: float
    is_public: bool = True
    status: str = ""  # the badge's colour word ("" for none)
    status_label: str = ""  # the badge's text, as the indexing app worded it
    title_html: str = ""  # escaped, query words in <mark>
    snippet_html: str = ""  # escaped, query words in <mark>
    # Set by the kind's review_suggestions hook (search/suggest.py): a template of the
    # indexing app that shows this hit's badge and buttons on the ask page, and its data.
    template: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def kind_info(self) -> Kind:
        """How the app that indexed this kind names it (search.kinds)."""
        return get_kind(self.kind)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict = field(default_factory=dict)  # kind/category/tag: [FacetValue]; solved: int
    suggestion: str = ""  # "did you mean" text, or "" when none
    showing_suggestion: bool = False  # nothing matched `query`; hits are for `suggestion`
    relaxed: bool = False  # nothing had every word; hits have some of them
    message: str = ""  # a clear word for the user when the input could not be searched
    notes: list[str] = field(default_factory=list)
    page: int = 1
    per_page: int = 20

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@dataclass
class Filters:
    kinds: Sequence[str] | None = None
    category: str | None = None
    tags: Sequence[str] = ()
    solved_only: bool = False
    team: bool = False
    open_kinds: Sequence[str] = ()  # with solved_only: these kinds are wanted unsolved too

    def visibility_sql(self, alias: str = "e") -> str:
        return "1=1" if self.team else f"{alias}.is_public = %s"

    def visibility_params(self) -> list:
        return [] if self.team else [True]

    def sql(self, alias: str, skip: str | None = None) -> tuple[str, list]:
        """The user's filters as one WHERE fragment; `skip` leaves one facet's own filter out."""
        parts: list[str] = []
        params: list = []
        if self.kinds and skip != "kind":
            parts.append(f"{alias}.kind IN ({', '.join(['%s'] * len(self.kinds))})")
            params.extend(self.kinds)
        if self.category and skip != "category":
            parts.append(f"{alias}.category = %s")
            params.append(self.category)
        if self.solved_only and skip != "solved":
            if self.open_kinds:
                kinds_in = ", ".join(["%s"] * len(self.open_kinds))
                parts.append(f"({alias}.solved = %s OR {alias}.kind IN ({kinds_in}))")
                params.extend([True, *self.open_kinds])
            else:
                parts.append(f"{alias}.solved = %s")
                params.append(True)
        for tag in self.tags:
            parts.append(
                f"EXISTS (SELECT 1 FROM search_searchtag ft WHERE ft.entry_id = {alias}.id AND ft.name = %s)"  # noqa: S608 - alias is ours
            )
            params.append(tag)
        return (" AND ".join(parts) or "1=1"), params


def marked_html(text: str) -> str:
    """Escape everything, then turn only our own highlight sentinels into <mark>."""
    escaped = html.escape(text or "", quote=True)
    opened = escaped.count(MARK_OPEN)
    closed = escaped.count(MARK_CLOSE)
    escaped = escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
    return escaped + "</mark>" * max(0, opened - closed)


_HIT_COLUMNS = "e.id, e.kind, e.object_id, e.title, e.url, e.category, e.category_name, e.solved, e.tags_text, e.is_public, e.status, e.status_label"


def _hit(row) -> Hit:
    (
        _,
        kind,
        object_id,
        title,
        url,
        category,
        category_name,
        solved,
        tags_text,
        is_public,
        status,
        label,
        score,
    ) = row
    return Hit(
        kind=kind,
        object_id=object_id,
        title=title,
        url=url,
        tags=[t for t in tags_text.split("\n") if t],
        category=category,
        category_name=category_name,
        solved=bool(solved),
        score=float(score or 0.0),
        is_public=bool(is_public),
        status=status or "",
        status_label=label or "",
        title_html=marked_html(title),
    )


def _page(
    backend, parsed: ParsedQuery, filters: Filters, page: int, per_page: int, min_score: float | None = None
) -> list[Hit]:
    match = backend.match(parsed)
    where, params = filters.sql("e")
    all_params = [*match.score_params, *match.params, *filters.visibility_params(), *params]
    if min_score is None:
        sql = (
            f"SELECT {_HIT_COLUMNS}, {match.score_sql} AS score FROM {match.from_sql} "  # noqa: S608 - fragments are constants
            f"WHERE {match.where_sql} AND {filters.visibility_sql()} AND {where} "
            "ORDER BY score DESC, e.updated_at DESC, e.id DESC LIMIT %s OFFSET %s"
        )
    else:
        # Each match's score is computed once, then filtered and sorted.
        columns = ", ".join(c.split(".")[1] for c in _HIT_COLUMNS.split(", "))
        sql = (
            f"WITH ranked AS MATERIALIZED (SELECT {_HIT_COLUMNS}, e.updated_at, {match.score_sql} AS score "  # noqa: S608 - constants
            f"FROM {match.from_sql} WHERE {match.where_sql} AND {filters.visibility_sql()} AND {where}) "
            f"SELECT {columns}, score FROM ranked WHERE score >= %s "
            "ORDER BY score DESC, updated_at DESC, id DESC LIMIT %s OFFSET %s"
        )
        all_params.append(min_score)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*all_params, per_page, (page - 1) * per_page])
        hits = [(row[0], _hit(row)) for row in cursor.fetchall()]
    marks = backend.highlights(parsed, [entry_id for entry_id, _ in hits])
    for entry_id, hit in hits:
        title_marked, snippet = marks.get(entry_id, (hit.title, ""))
        hit.title_html = marked_html(title_marked)
        hit.snippet_html = marked_html(snippet)
    return [hit for _, hit in hits]


def _matching(match, filters: Filters, floor: float | None) -> tuple[str, list]:
    """The CTEs that end in `m`: the visible matches, with the tail cut when `floor` is set.

    With a floor, every match is scored once (`scored`) and `m` keeps those scoring at
    least floor * the best, before the user's filters (so the facets, each counted
    without its own filter, and the page agree on which documents are in). FTS5 allows
    bm25() only in the SELECT list of the match itself, hence the materialized scores.
    """
    visible = f"FROM {match.from_sql} WHERE {match.where_sql} AND {filters.visibility_sql()}"
    params = [*match.params, *filters.visibility_params()]
    if not floor:
        return (
            f"WITH m AS MATERIALIZED (SELECT e.id, e.kind, e.category, e.category_name, e.solved {visible})",
            params,
        )
    sql = (
        "WITH scored AS MATERIALIZED (SELECT e.id, e.kind, e.category, e.category_name, e.solved, "  # noqa: S608 - constants
        f"{match.score_sql} AS s {visible}), "
        "m AS MATERIALIZED (SELECT id, kind, category, category_name, solved FROM scored "
        "WHERE s >= %s * (SELECT max(s) FROM scored))"
    )
    return sql, [*match.score_params, *params, floor]


def _facets(
    backend, parsed: ParsedQuery, filters: Filters, floor: float | None = None
) -> tuple[int, dict, float | None]:
    """Total and facet counts in one round trip over the matching set, and with a
    `floor` the best score (None without one, or when nothing matched).

    Each facet is counted with every filter except its own, so the type facet still
    shows how many articles there are while threads are selected.
    """
    match = backend.match(parsed)
    matching, matching_params = _matching(match, filters, floor)
    all_where, all_params = filters.sql("m")
    kind_where, kind_params = filters.sql("m", skip="kind")
    cat_where, cat_params = filters.sql("m", skip="category")
    solved_where, solved_params = filters.sql("m", skip="solved")
    best = " UNION ALL SELECT 'best', CAST(max(s) AS TEXT), '', count(*) FROM scored" if floor else ""
    sql = (
        f"{matching} "  # noqa: S608 - fragments are constants, values are parameters
        f"SELECT 'total', '', '', count(*) FROM m WHERE {all_where} "
        f"UNION ALL SELECT 'kind', m.kind, '', count(*) FROM m WHERE {kind_where} GROUP BY m.kind "
        "UNION ALL SELECT 'category', m.category, max(m.category_name), count(*) FROM m "
        f"WHERE m.category <> '' AND {cat_where} GROUP BY m.category "
        f"UNION ALL SELECT 'solved', '', '', count(*) FROM m WHERE m.solved = %s AND {solved_where} "
        "UNION ALL SELECT * FROM (SELECT 'tag', t.name, '', count(*) AS n FROM m "
        f"{backend.ordered_join} search_searchtag t ON t.entry_id = m.id WHERE {all_where} "
        f"GROUP BY t.name ORDER BY n DESC, t.name LIMIT %s) tag_facet{best}"
    )
    params = [
        *matching_params,
        *all_params,
        *kind_params,
        *cat_params,
        True,
        *solved_params,
        *all_params,
        TAG_FACET_SIZE,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = 0
    best_score = None
    facets: dict = {"kind": [], "category": [], "tag": [], "solved": 0}
    for facet, value, label, count in rows:
        if facet == "total":
            total = count
        elif facet == "best":
            best_score = float(value) if value is not None else None
        elif facet == "solved":
            facets["solved"] = count
        elif facet == "kind":
            facets["kind"].append(FacetValue(value, get_kind(value).plural, count))
        else:
            facets[facet].append(FacetValue(value, label or value, count))
    facets["kind"].sort(key=lambda f: (-f.count, f.value))
    facets["category"].sort(key=lambda f: (-f.count, f.label))
    return total, facets, best_score


def _run(
    backend,
    parsed: ParsedQuery,
    filters: Filters,
    page: int,
    per_page: int,
    results: Results,
    floor: float | None = None,
) -> None:
    results.total, results.facets, best = _facets(backend, parsed, filters, floor)
    last_page = max(1, math.ceil(results.total / per_page))
    results.page = min(page, last_page)
    # The same cut as the facets', as a number (the CAST to text keeps ~15 digits,
    # so a document exactly on the floor may fall either side: none is, in practice).
    min_score = floor * best if floor and best is not None else None
    results.hits = _page(backend, parsed, filters, results.page, per_page, min_score) if results.total else []


# When no document has every word of a plain query, it is retried with fewer words
# required, and the long tail of weak matches is cut. Chosen on a labelled set of 18
# customer-style queries over the demo data (docs/search.md, "Cutting the tail";
# `bench/search_relevance.py --sweep` prints the figures for other values).
RELAXED_MAX_TERMS = 6  # of a longer query, the rarest words (title/tag vocabulary) count
RELAXED_SHARE = 1 / 3  # a hit has at least a third of the words (at least 1)...
RELAXED_SCORE_FLOOR = 0.2  # ...and scores at least this share of the best hit's score


_ENGLISH = stemmer("english")


def _distinct_lexemes(terms: list[Term]) -> list[Term]:
    """The terms with one form of each word: "drivers" and "driver" are one lexeme to both
    full-text indexes (PostgreSQL's english snowball, SQLite's porter), so as two terms they
    would make pairs such as (drivers driver) that any document with "driver" matches — a
    third of a million documents at 1M (docs/benchmarks.md, "At 1 million threads"). The
    first form typed is kept."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for term in terms:
        key = tuple(_ENGLISH.stemWords(list(term.words)))
        if key not in seen:
            seen.add(key)
            kept.append(term)
    return kept


def relaxed(parsed: ParsedQuery) -> ParsedQuery:
    """At least RELAXED_SHARE of the query's words, as ORed groups of word combinations.

    "sync phone laptop yesterday" needs 2 of the 4: (sync phone) or (sync laptop) or ...
    A longer query keeps its RELAXED_MAX_TERMS rarest words first (known title/tag
    words by document frequency, then words no title or tag uses), so "since" or
    "problem" give way to "laptop" and "sync".
    """
    terms: list[Term] = _distinct_lexemes(list(dict.fromkeys(parsed.groups[0].include)))
    if RELAXED_SHARE and len(terms) > RELAXED_MAX_TERMS:
        from search.models import SearchWord

        frequency = dict(
            SearchWord.objects.filter(word__in=[t.words[0] for t in terms]).values_list("word", "frequency")
        )
        rarest = sorted(
            terms, key=lambda t: (frequency.get(t.words[0], 0) == 0, frequency.get(t.words[0], 0))
        )
        kept = set(rarest[:RELAXED_MAX_TERMS])
        terms = [t for t in terms if t in kept]
    need = max(1, math.ceil(len(terms) * RELAXED_SHARE - 1e-9))  # 1/3 of 3 words is 1, not 2
    return ParsedQuery(groups=[Group(include=list(some)) for some in combinations(terms, need)])


def did_you_mean(text: str, parsed: ParsedQuery | None = None) -> str:
    """The query with unknown words replaced by close words from public titles and tags."""
    from search.models import SearchWord

    parsed = parsed or parse(text)
    candidates = [w for w in parsed.plain_words if len(w) >= 3 and not w.isdigit()]
    if not candidates:
        return ""
    known = set(
        SearchWord.objects.filter(word__in=candidates, frequency__gt=0).values_list("word", flat=True)
    )
    backend = get_backend()
    replacements: dict[str, str] = {}
    for word in candidates:
        if word in known or word in replacements:
            continue
        close = [c for c in backend.close_words(word) if c != word]
        if close:
            replacements[word] = close[0]
    if not replacements:
        return ""
    return re.sub(r"\w+", lambda m: replacements.get(m.group().lower(), m.group()), clean(text)).strip()


def query(
    text: str | None,
    *,
    kinds: Iterable[str] | None = None,
    category: str | None = None,
    tags: Iterable[str] | None = None,
    solved_only: bool = False,
    user=None,
    page: int = 1,
    per_page: int = 20,
) -> Results:
    """Ranked, highlighted, faceted search. Never raises for any user input.

    Non-public documents are searched only for people who may see hidden ones (the
    SEARCH_MAY_SEE_HIDDEN setting names the rule: search/viewers.py).
    When nothing matches: a close spelling from the vocabulary is tried ("did you
    mean"), then — for a plain multi-word query — any of the words (`relaxed`).
    """
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    results = Results(query=text or "", page=max(1, int(page)), per_page=per_page)
    parsed = parse(text)
    results.notes = parsed.notes
    if parsed.empty:
        results.message = EMPTY_QUERY_MESSAGE if not parsed.notes else " ".join(parsed.notes)
        return results
    filters = Filters(
        kinds=list(kinds) if kinds else None,
        category=category or None,
        tags=[t for t in (tags or []) if t],
        solved_only=solved_only,
        team=viewers.may_see_hidden(user),
    )
    backend = get_backend()
    _run(backend, parsed, filters, results.page, per_page, results)
    if results.total:
        return results
    results.suggestion = did_you_mean(text or "", parsed)
    if results.suggestion:
        _run(backend, parse(results.suggestion), filters, results.page, per_page, results)
        results.showing_suggestion = results.total > 0
        if not results.showing_suggestion:
            results.suggestion = ""  # a correction that finds nothing helps nobody
    if not results.total and parsed.is_simple_and:
        _run(backend, relaxed(parsed), filters, results.page, per_page, results, floor=RELAXED_SCORE_FLOOR)
        results.relaxed = results.total > 0
    return results


SIMILAR_MAX_TERMS = 10
COMMON_SHARE = 0.03  # a word in more than 3 % of public titles says little about a topic
PUBLIC_COUNT_CACHE_SECONDS = 600


def _public_count() -> int:
    from django.core.cache import cache

    from search.models import SearchEntry

    return cache.get_or_set(
        "search:public-count",
        lambda: SearchEntry.objects.filter(is_public=True).count(),
        PUBLIC_COUNT_CACHE_SECONDS,
    )


def informative_terms(terms: list[str]) -> list[str]:
    """Keep the words that say most about a topic: drop words common across public
    titles and tags (the vocabulary's document frequency), keep at most
    SIMILAR_MAX_TERMS of the rarest, in their original order. If every word is
    common, the two rarest stay. Fewer, rarer words also mean fewer rows to rank.
    A word that is in no title or tag yet can match none (similar() reads nothing
    else), so it never takes the place of one that can: on a small site the body's
    unseen words used to push out every title word."""
    from search.models import SearchWord

    if not terms:
        return []
    frequency = dict(SearchWord.objects.filter(word__in=terms).values_list("word", "frequency"))
    common = max(20, COMMON_SHARE * _public_count())
    rarest = sorted([t for t in terms if frequency.get(t, 0) > 0] or terms, key=lambda t: frequency.get(t, 0))
    kept = {t for t in rarest if frequency.get(t, 0) <= common}
    if len(kept) < 2:
        kept = set(rarest[:2])
    kept = set(sorted(kept, key=lambda t: frequency.get(t, 0))[:SIMILAR_MAX_TERMS])
    return [t for t in terms if t in kept]


def similar(
    title: str,
    body: str = "",
    *,
    kinds: Sequence[str] | None = ("thread",),
    limit: int = 50,
    exclude: Iterable[tuple[str, int] | int] = (),
    solved_only: bool = False,
    open_kinds: Sequence[str] = (),
    include_private: bool = False,
) -> list[Hit]:
    """Candidates that may be about the same thing as (title, body), best first.

    An OR query over the most informative words (title words, then the body's most
    repeated content words), matched against other documents' titles and tags —
    the part of a document that says what it is about, and small enough to rank
    every match quickly. `exclude` takes
    (kind, object_id) pairs, or bare object ids when exactly one kind is asked for.
    Only public documents unless include_private. With solved_only, documents of
    `open_kinds` come unsolved too (the ask page's open questions). Hits carry no snippets.
    """
    terms = informative_terms(salient_terms(title, body))
    if not terms or limit <= 0:
        return []
    excluded: list[tuple[str, int]] = []
    for item in exclude:
        if isinstance(item, int):
            if not kinds or len(kinds) != 1:
                raise ValueError("Bare ids in exclude need exactly one kind; pass (kind, id) pairs")
            excluded.append((kinds[0], item))
        else:
            excluded.append((item[0], int(item[1])))
    filters = Filters(
        kinds=list(kinds) if kinds else None,
        solved_only=solved_only,
        open_kinds=list(open_kinds),
        team=include_private,
    )
    backend = get_backend()
    match = backend.match_titles(any_of(terms))
    where, params = filters.sql("e")
    not_in = "".join(" AND NOT (e.kind = %s AND e.object_id = %s)" for _ in excluded)
    sql = (
        f"SELECT {_HIT_COLUMNS}, {match.score_sql} AS score FROM {match.from_sql} "  # noqa: S608 - fragments are constants
        f"WHERE {match.where_sql} AND {filters.visibility_sql()} AND {where}{not_in} "
        "ORDER BY score DESC, e.id DESC LIMIT %s"
    )
    all_params = [*match.score_params, *match.params, *filters.visibility_params(), *params]
    all_params += [value for pair in excluded for value in pair]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*all_params, int(limit)])
        return [_hit(row) for row in cursor.fetchall()]


def matching_queries(kind: str, object_id: int, texts: Iterable[str]) -> set[str]:
    """Which of `texts` (search-box queries, e.g. searches people follow) find the
    document (kind, object_id), matched as the search page matches: every word present,
    stemmed, in the title, tags or body; quotes, `or` and `-word` as there. No spelling
    correction and no relaxed fallback: a followed search means exactly its words. A
    text with no searchable word matches nothing. One statement on PostgreSQL (one per
    200 texts on SQLite); nothing when the document is not indexed."""
    from search.models import SearchEntry

    parsed = [(text, parse(text)) for text in dict.fromkeys(texts)]
    parsed = [(text, p) for text, p in parsed if not p.empty]
    if not parsed:
        return set()
    entry_id = SearchEntry.objects.filter(kind=kind, object_id=object_id).values_list("pk", flat=True).first()
    if entry_id is None:
        return set()
    found = get_backend().matching(entry_id, [p for _, p in parsed])
    return {parsed[i][0] for i in found}
