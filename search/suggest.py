"""The ask page's suggestions: what is already there about the question being typed.

    hits = suggestions(title, body, request.user)

Documents marked solved (solved threads, published articles) of every kind, and
unsolved ones of the kinds registered with an `open_label` (search.kinds): an open
question someone else asked is where a second person with the same problem should
add themselves, not a reason to post a duplicate.

The kind's `review_suggestions(hits, user)` hook then looks at its own hits: the app
that indexed them knows what the index does not (a thread locked since it was indexed,
how many people it affects, whether this person already said "me too") and may drop
hits or give them a template of its own (`hit.template`, `hit.extra`).

`candidates()` is the ranking alone, for bench/suggest_recall.py to measure.
"""

from __future__ import annotations

from collections.abc import Iterable

from search.kinds import all_kinds, get_kind
from search.query import Hit, similar

LIMIT = 5
# Hooks may drop a few hits (e.g. a thread locked since it was indexed): rank a few
# more than are shown, so the panel still fills up.
SPARE = 3


def open_kinds() -> list[str]:
    return [kind.name for kind in all_kinds() if kind.open_label]


def candidates(
    title: str, body: str = "", *, limit: int = LIMIT, exclude: Iterable[tuple[str, int]] = ()
) -> list[Hit]:
    """Public documents like (title, body), best first: solved ones of any kind, and
    unsolved ones of the kinds that registered an open_label."""
    return similar(
        title, body, kinds=None, solved_only=True, open_kinds=open_kinds(), limit=limit, exclude=exclude
    )


def suggestions(
    title: str, body: str, user, *, limit: int = LIMIT, exclude: Iterable[tuple[str, int]] = ()
) -> list[Hit]:
    """What the ask page shows: candidates() as each kind's hook lets them be, at most `limit`."""
    hits = candidates(title, body, limit=limit + SPARE, exclude=exclude)
    kept: set[int] = {id(hit) for hit in hits}
    for name in dict.fromkeys(hit.kind for hit in hits):
        review = get_kind(name).review_suggestions
        if review is None:
            continue
        own = [hit for hit in hits if hit.kind == name]
        reviewed = {id(hit) for hit in review(own, user)}
        kept -= {id(hit) for hit in own} - reviewed
    return [hit for hit in hits if id(hit) in kept][:limit]
