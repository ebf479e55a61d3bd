"""Other apps contribute figures to the public profile page.

`accounts` knows no app of ours, so the forum registers a provider (in its
AppConfig.ready) that returns public figures for a user, e.g. answers written.
A provider returns a list of (label, number) pairs and must not reveal private data.
"""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import User

StatProvider = Callable[[User], list[tuple[str, int]]]
_providers: list[StatProvider] = []


def register_stats(provider: StatProvider) -> StatProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def public_stats(user: User) -> list[tuple[str, int]]:
    stats: list[tuple[str, int]] = []
    for provider in _providers:
        stats.extend(provider(user))
    return stats
