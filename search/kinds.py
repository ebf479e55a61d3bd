"""The kinds of document the search shows, as the apps that index them describe them.

search knows no app of ours: an app that indexes documents of a kind says, in its
AppConfig.ready(), how the search pages should name and link them:

    register_kind("article", label="Article", plural="Articles", position=1,
                  browse_url=reverse_lazy("kb:home"), browse_name="the knowledge base",
                  highlight=True)

Other apps may also add a tool above the results (`register_results_tool`, e.g. the
forum's "Follow this search").

The search templates read these (tests/test_architecture.py fails a template under
templates/search/ that names another app's URL or kind).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Kind:
    name: str  # the SearchDocument.kind, e.g. "thread"
    label: str  # one of them, on a result's badge: "Thread"
    plural: str  # the type filter: "Threads"
    position: int = 100  # order of the browse links
    browse_url: str | Promise = ""  # where to browse them all ("" for none); reverse_lazy is fine
    browse_name: str = ""  # "the knowledge base", "recent questions"
    highlight: bool = False  # its badge stands out (curated content, e.g. articles)
    solved_label: str = ""  # badge of a document marked solved ("" when `solved` says nothing more)
    ask_url: str | Promise = ""  # where someone who found nothing asks instead; gets ?title=<query>
    ask_text: str = ""  # that link's text
    # The ask page's suggestions show documents marked solved (answers, articles). A kind
    # with an open_label is suggested unsolved too, under that badge ("Open question"),
    # so a second person with the same problem can join the first instead of asking again.
    open_label: str = ""
    # f(hits, user) -> hits: the indexing app's look at its suggested documents just
    # before the ask page shows them (search/suggest.py). It may drop some (a row that
    # can no longer be joined) and set hit.template / hit.extra to show more.
    review_suggestions: Callable[[list, object], list] | None = None
    # popular(limit): ids of this kind's public documents people need most, most first
    # (the search page's "Common questions"; search/examples.py). None: not asked.
    popular: Callable[[int], Iterable[int]] | None = None


_kinds: dict[str, Kind] = {}


def register_kind(name: str, **description) -> Kind:
    """Describe the documents of kind `name` (see Kind). Registering again replaces."""
    kind = Kind(name=name, **description)
    _kinds[name] = kind
    return kind


def get_kind(name: str) -> Kind:
    """The registered description, or a plain one made from the name."""
    if name in _kinds:
        return _kinds[name]
    label = name.replace("_", " ").capitalize()
    return Kind(name=name, label=label, plural=f"{label}s")


def all_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: (k.position, k.name))


def browsable_kinds() -> list[Kind]:
    return [k for k in all_kinds() if k.browse_url]


def ask_kinds() -> list[Kind]:
    return [k for k in all_kinds() if k.ask_url]


# A results tool: `fn(request, text) -> HTML | None`, shown above the results of a search
# for `text` (e.g. the forum's "Follow this search"), rendered by its app's own template.
ResultsTool = Callable[[object, str], str | None]
_results_tools: list[ResultsTool] = []


def register_results_tool(fn: ResultsTool) -> ResultsTool:
    if fn not in _results_tools:
        _results_tools.append(fn)
    return fn


def results_tools(request, text: str) -> list[SafeString]:
    # Each is the output of its app's own template, which escaped what it had to.
    return [mark_safe(html) for fn in _results_tools if (html := fn(request, text))]  # noqa: S308
