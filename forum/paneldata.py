"""The thread page's panels read what they show in one query (issue 14, item 4).

The panels belong to apps above the forum (duplicates, kb, desk), which the forum must
not import. Each registers, through forum.hooks.register_panel_data, a name and a
function returning an ORM expression about one thread (`OuterRef("pk")` is the thread);
`panel_data(thread)` puts every registered expression on one `SELECT ... FROM
forum_thread WHERE id = %s` and memoises the answers on the thread object, so the
panels of a page cost one query together however many apps add one, and none for a
panel asked again. A list of rows is `JSONRows(queryset)`: the rows of a `values()`
queryset as one JSON array, in the queryset's order, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import JSONField, Subquery
from django.db.models.functions import JSONObject
from django.dispatch import receiver

from forum.models import Thread


class JSONRows(Subquery):
    """`queryset` (a queryset over the rows to show, ordered and sliced as wanted) as a
    JSON array of objects with the keys of `fields` ({key: field path or expression}),
    `[]` when there is none. Read back as a list of dicts."""

    def __init__(self, queryset, **fields):
        super().__init__(queryset.values(panel_row=JSONObject(**fields)), output_field=JSONField())

    def as_sql(self, compiler, connection, template=None, **extra_context):
        inner, params = super().as_sql(compiler, connection, template, **extra_context)
        # `inner` is Django's compiled subquery, its values in `params`: nothing is pasted in.
        if connection.vendor == "postgresql":
            outer = f"(SELECT COALESCE(json_agg(r.panel_row), '[]'::json)::text FROM {inner} AS r)"  # noqa: S608
        else:  # SQLite: the object comes out of the subquery as text; json() reads it back
            outer = f"(SELECT COALESCE(json_group_array(json(r.panel_row)), '[]') FROM {inner} AS r)"  # noqa: S608
        return outer, params


# The panel query's SQL is the same for every thread but its id: compiled once per process
# and database (building and compiling ~6 subqueries cost more CPU than the seven queries
# they replace), then run with the thread's id in place of this number. Rebuilt when a
# setting changes (tests' override_settings, e.g. the duplicate-link threshold).
_SENTINEL = -918273645
_compiled: dict[str, tuple] = {}


@receiver(setting_changed)
def _forget_compiled(**kwargs) -> None:
    _compiled.clear()


def _compile(alias: str, expressions: dict) -> tuple:
    query = Thread.objects.using(alias).filter(pk=_SENTINEL).values(**expressions).query
    compiler = query.get_compiler(alias)
    sql, params = compiler.as_sql()
    at = [i for i, value in enumerate(params) if value == _SENTINEL]
    if len(at) != 1:  # an expression used the number itself: compile each time instead
        return None
    names = [name for _, _, name in compiler.select]
    converters = compiler.get_converters([expression for expression, _, _ in compiler.select])
    return sql, list(params), at[0], names, compiler, converters


def _read(thread_id: int) -> dict:
    alias = router.db_for_read(Thread)
    if alias not in _compiled:
        expressions = panel_expressions()
        _compiled[alias] = _compile(alias, expressions) if expressions else ()
    compiled = _compiled[alias]
    if compiled == ():
        return {}
    if compiled is None:
        return Thread.objects.filter(pk=thread_id).values(**panel_expressions()).first() or {}
    sql, params, at, names, compiler, converters = compiled
    params = [*params]
    params[at] = thread_id
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return {}
    if converters:
        row = next(iter(compiler.apply_converters([row], converters)))
    return dict(zip(names, row, strict=True))


def panel_data(thread: Thread) -> dict:
    """{name: value} of every registered panel expression for `thread`, in one query the
    first time it is asked for this thread object (memoised on it); {} with none."""
    memo = getattr(thread, "_panel_data_memo", None)
    if memo is None:
        memo = thread._panel_data_memo = _read(thread.pk)
    return memo


PanelData = Callable[[], object]
_panel_data: dict[str, PanelData] = {}


def register_panel_data(name: str, fn: PanelData) -> PanelData:
    """forum.hooks.register_panel_data (see forum/hooks.py): `fn()` returns the expression."""
    if _panel_data.get(name, fn) is not fn:
        raise ValueError(f"panel data {name!r} is registered already")
    _panel_data[name] = fn
    _compiled.clear()  # the kept SQL holds every registered expression
    return fn


def panel_expressions() -> dict[str, object]:
    return {name: fn() for name, fn in _panel_data.items()}
