"""Writes of the search app: ask attempts (did the knowledge base prevent a question?).

The forum's ask page calls `new_token()` when it renders, passes the token to
the suggestion panel and to its form (hidden field `ask_attempt`), and calls
`record_posted(token, user)` in the action that creates the thread. `record_shown` and
`record_open` are called by search's own views.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from search.models import AskAttempt

MAX_SHOWN_URLS = 50


def new_token() -> str:
    """A token for one visit to the ask page. No row is written yet: a visit that is shown
    no suggestion and posts nothing leaves nothing behind (one row per page view let
    any crawler grow the table, issue 11). The row appears when suggestions are shown
    (`record_shown`) or the question is posted (`record_posted`)."""
    return secrets.token_hex(16)


def _owner(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _attempt_for_update(token: str, user) -> AskAttempt:
    """The attempt's row, locked, created on first use. Call inside atomic()."""
    attempt, _ = AskAttempt.objects.select_for_update().get_or_create(
        token=token, defaults={"user": _owner(user)}
    )
    return attempt


def valid_token(token: str | None) -> bool:
    return bool(token) and len(token) == 32 and all(c in "0123456789abcdef" for c in token)


def record_shown(token: str | None, urls: list[str], user=None) -> None:
    """Remember which suggestions an attempt was shown (distinct URLs, capped); the first
    suggestions shown create the attempt's row. `user`: the visitor, if signed in."""
    if not valid_token(token) or not urls:
        return
    with transaction.atomic():
        attempt = _attempt_for_update(token, user)
        shown = list(attempt.shown_urls)
        new = [url for url in urls if url not in shown]
        if not new:
            return
        attempt.shown_urls = (shown + new)[:MAX_SHOWN_URLS]
        attempt.suggestions_shown = len(shown) + len(new)
        attempt.save(update_fields=["shown_urls", "suggestions_shown"])


def record_open(token: str | None, url: str) -> bool:
    """The asker opened a suggestion. Only the first open is kept; returns whether
    this call recorded it. Precondition: `url` is one the attempt was shown."""
    if not valid_token(token):
        return False
    updated = AskAttempt.objects.filter(token=token, opened_at__isnull=True).update(
        opened_at=timezone.now(), opened_url=url[:500]
    )
    return updated == 1


def record_posted(token: str | None, user=None) -> bool:
    """The asker posted the question anyway. Idempotent; a malformed token is ignored
    (it comes from a form field, so it may be missing or forged). An attempt that was
    never shown a suggestion gets its row now, so every posted question counts."""
    if not valid_token(token):
        return False
    with transaction.atomic():
        attempt = _attempt_for_update(token, user)
        if attempt.posted_at is not None:
            return False
        attempt.posted_at = timezone.now()
        attempt.save(update_fields=["posted_at"])
    return True
