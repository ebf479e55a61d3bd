"""Writes of the search app: ask attempts (did the knowledge base prevent a question?).

The forum's ask page calls `start_attempt(user)` when it renders, passes the token to
the suggestion panel and to its form (hidden field `ask_attempt`), and calls
`record_posted(token)` in the action that creates the thread. `record_shown` and
`record_open` are called by search's own views.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from search.models import AskAttempt

MAX_SHOWN_URLS = 50


def start_attempt(user=None) -> AskAttempt:
    """A new ask attempt; `user` is the asker if signed in (anonymous visitors may look too)."""
    owner = user if user is not None and getattr(user, "is_authenticated", False) else None
    return AskAttempt.objects.create(token=secrets.token_hex(16), user=owner)


def valid_token(token: str | None) -> bool:
    return bool(token) and len(token) == 32 and all(c in "0123456789abcdef" for c in token)


def record_shown(token: str | None, urls: list[str]) -> None:
    """Remember which suggestions an attempt was shown (distinct URLs, capped)."""
    if not valid_token(token) or not urls:
        return
    with transaction.atomic():
        attempt = AskAttempt.objects.select_for_update().filter(token=token).first()
        if attempt is None:
            return
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


def record_posted(token: str | None) -> bool:
    """The asker posted the question anyway. Idempotent; unknown tokens are ignored
    (the token comes from a form field, so it may be missing or forged)."""
    if not valid_token(token):
        return False
    updated = AskAttempt.objects.filter(Q(token=token) & Q(posted_at__isnull=True)).update(
        posted_at=timezone.now()
    )
    return updated == 1
