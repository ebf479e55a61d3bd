"""Other apps contribute figures and lists to the public profile page.

`accounts` knows no app of ours, so the forum registers providers (in its
AppConfig.ready): figures (a list of (label, number) pairs, e.g. answers written) and
sections (HTML rendered by the app, e.g. the person's questions, paged by the request's
query string). Neither may reveal private data: what someone follows is not public.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString

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


SectionProvider = Callable[[object, User], SafeString | None]
_sections: list[SectionProvider] = []


def register_section(provider: SectionProvider) -> SectionProvider:
    if provider not in _sections:
        _sections.append(provider)
    return provider


def public_sections(request, user: User) -> list[SafeString]:
    return [html for provider in _sections if (html := provider(request, user))]
