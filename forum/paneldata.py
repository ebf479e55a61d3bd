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

from django.db.models import JSONField, Subquery
from django.db.models.functions import JSONObject

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


def panel_data(thread: Thread) -> dict:
    """{name: value} of every registered panel expression for `thread`, in one query the
    first time it is asked for this thread object (memoised on it); {} with none."""
    memo = getattr(thread, "_panel_data_memo", None)
    if memo is None:
        from forum.hooks import panel_expressions

        expressions = panel_expressions()
        memo = {}
        if expressions:
            memo = Thread.objects.filter(pk=thread.pk).values(**expressions).first() or {}
        thread._panel_data_memo = memo
    return memo


def forget_panel_data(thread: Thread) -> None:
    """After a write on this request's thread object (e.g. a link decided), so the
    panel rendered next reads again."""
    thread.__dict__.pop("_panel_data_memo", None)
