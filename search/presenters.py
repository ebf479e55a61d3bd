"""Turn Results into what the search page shows: facet links, filter chips, pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from search.kinds import get_kind
from search.query import Results


@dataclass
class Link:
    label: str
    url: str
    count: int | None = None
    selected: bool = False


def url_with(params: QueryDict, **changes) -> str:
    """The current query string with some parameters replaced (None/""/[]: removed).

    Changing a filter always returns to page 1.
    """
    new = params.copy()
    if "page" not in changes:
        new.pop("page", None)
    for key, value in changes.items():
        new.pop(key, None)
        if isinstance(value, list):
            if value:
                new.setlist(key, value)
        elif value not in (None, "", False):
            new[key] = "1" if value is True else str(value)
    encoded = new.urlencode()
    return f"?{encoded}" if encoded else "?"


def facet_links(results: Results, params: QueryDict, values: dict) -> dict:
    facets = results.facets
    kinds = facets.get("kind", [])
    type_links = [
        Link("All types", url_with(params, type=None), sum(f.count for f in kinds), not values["type"])
    ]
    type_links += [
        Link(f.label, url_with(params, type=f.value), f.count, values["type"] == f.value) for f in kinds
    ]
    if values["type"] and values["type"] not in {f.value for f in kinds}:
        type_links.append(
            Link(get_kind(values["type"]).plural, url_with(params, type=values["type"]), 0, True)
        )
    categories = [
        Link(
            f.label,
            url_with(params, category=None if values["category"] == f.value else f.value),
            f.count,
            values["category"] == f.value,
        )
        for f in facets.get("category", [])
    ]
    tags = []
    for f in facets.get("tag", []):
        selected = f.value in values["tags"]
        chosen = [t for t in values["tags"] if t != f.value] if selected else [*values["tags"], f.value]
        tags.append(Link(f.label, url_with(params, tag=chosen), f.count, selected))
    solved = Link(
        "Solved or published only",
        url_with(params, solved=not values["solved"]),
        facets.get("solved", 0),
        values["solved"],
    )
    return {"types": type_links, "categories": categories, "tags": tags, "solved": solved}


def active_filters(params: QueryDict, values: dict, results: Results) -> list[Link]:
    """Chips for the filters in use, each linking to the page without it."""
    names = {f.value: f.label for f in results.facets.get("category", [])}
    chips = []
    if values["type"]:
        chips.append(Link(get_kind(values["type"]).plural, url_with(params, type=None)))
    if values["category"]:
        chips.append(Link(names.get(values["category"], values["category"]), url_with(params, category=None)))
    for tag in values["tags"]:
        chips.append(Link(f"#{tag}", url_with(params, tag=[t for t in values["tags"] if t != tag])))
    if values["solved"]:
        chips.append(Link("Solved only", url_with(params, solved=False)))
    return chips


def page_links(results: Results, params: QueryDict) -> dict:
    page, last = results.page, results.num_pages
    return {
        "previous": url_with(params, page=page - 1 if page > 2 else None) if page > 1 else "",
        "next": url_with(params, page=page + 1) if page < last else "",
        "page": page,
        "last": last,
    }
