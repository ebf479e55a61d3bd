"""What every app's admin shares: the admin never writes around an action.

- `ActionOwnedAdmin`: a model whose rows only actions write (counters, rendered HTML,
  the search index and notifications follow from them). Every field is read-only, and
  rows are neither added nor deleted here; the changes that matter are admin actions
  that call the actions (`run_action`).
- `ReadOnlyInline`: the same for inlines.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages


def _all_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if (f.concrete or f.many_to_many) and not f.auto_created and f.name != "id"
    ]


class ActionOwnedAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return _all_fields(self.model)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return list(self.fields) if self.fields else _all_fields(self.model)


def run_action(
    request,
    queryset,
    action: Callable[..., bool],
    done: str,
    refusals: tuple[type[Exception], ...],
) -> None:
    """Call `action(row, request.user)` on each selected row, as a page would, and say
    how many rows changed (`done` is formatted with {n}) and why any was refused."""
    changed = 0
    for row in queryset:
        try:
            changed += bool(action(row, request.user))
        except refusals as error:
            messages.error(request, f"{row}: {error}")
    messages.success(request, done.format(n=changed))
