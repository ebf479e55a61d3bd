"""Who may see what in search. search knows no roles: the project's settings name the
functions that decide (config/settings.py points them at accounts.rules).

- SEARCH_MAY_SEE_HIDDEN: `f(user) -> bool`, may this person find non-public documents
  (deleted threads, drafts)? Results say "Not public" on them.
- SEARCH_MAY_SEE_FIGURES: `f(user) -> bool`, may this person open the staff figures
  (/search/deflection/)?
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def _rule(dotted_path: str):
    return import_string(dotted_path)


def may_see_hidden(user) -> bool:
    return user is not None and bool(_rule(settings.SEARCH_MAY_SEE_HIDDEN)(user))


def may_see_figures(user) -> bool:
    return user is not None and bool(_rule(settings.SEARCH_MAY_SEE_FIGURES)(user))
