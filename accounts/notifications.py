"""Which emails a person gets, and how often: the kinds, and each person's choice.

accounts knows no app of ours, so the apps that send emails register their kinds here,
in their AppConfig.ready() (forum: answers, solutions; duplicates: fixes on linked
questions; kb: help articles), and the settings page (/account/notifications/) lists
what was registered. Each kind: immediately (coalesced into one email with whatever
else happens within a couple of minutes), daily digest, or never; "Stop all emails"
turns every kind off, also kinds added later (EmailPreference, kind "all").

Sending is not done here: jobs.notices asks `preference(user_id, kind)` (config.wiring
connects the two). Account emails (address confirmation, password reset) are not
optional and not listed; the desk's emails to staff keep their own switches
(`register_elsewhere` adds a link to them for the people they concern). Apps add
their own sections to the page with `register_section` (the forum: "Topics you follow").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from accounts.models import EmailPreference, User

NOW, DIGEST, NEVER = EmailPreference.Choice.values
STOP_ALL_SALT = "accounts.stop-all-emails"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # "Answers on questions you follow"
    help: str = ""
    default: str = NOW


@dataclass(frozen=True)
class Elsewhere:
    label: str
    url_name: str
    shown_to: Callable[[User], bool]


_kinds: dict[str, Kind] = {}
_elsewhere: list[Elsewhere] = []
SettingsSection = Callable[[object], str | None]
_sections: list[SettingsSection] = []


def register_kind(key: str, label: str, help: str = "", default: str = NOW) -> Kind:
    if key == EmailPreference.ALL or default not in EmailPreference.Choice.values:
        raise ValueError(f"bad email kind {key!r} / default {default!r}")
    _kinds[key] = kind = Kind(key, label, help, default)
    return kind


def register_elsewhere(label: str, url_name: str, shown_to: Callable[[User], bool]) -> None:
    """A link on the settings page to emails that have their own switches elsewhere."""
    if all(e.url_name != url_name for e in _elsewhere):
        _elsewhere.append(Elsewhere(label, url_name, shown_to))


def register_section(fn: SettingsSection) -> SettingsSection:
    """`fn(request) -> HTML | None`: a section of the settings page, rendered by its app's
    own template (e.g. the forum's "Topics you follow")."""
    if fn not in _sections:
        _sections.append(fn)
    return fn


def sections(request) -> list[SafeString]:
    # Each section is the output of its app's own template, which escaped what it had to.
    return [mark_safe(html) for fn in _sections if (html := fn(request))]  # noqa: S308


def kinds() -> list[Kind]:
    return list(_kinds.values())


def elsewhere_for(user: User) -> list[tuple[str, str]]:
    return [(e.label, reverse(e.url_name)) for e in _elsewhere if e.shown_to(user)]


def choices_for(user_id: int) -> tuple[dict[str, str], bool]:
    """({kind: choice} for every registered kind, all stopped?). One query."""
    rows = dict(EmailPreference.objects.filter(user_id=user_id).values_list("kind", "choice"))
    stopped = rows.get(EmailPreference.ALL) == NEVER
    return {k.key: rows.get(k.key, k.default) for k in _kinds.values()}, stopped


def preference(user_id: int, kind: str) -> str:
    """How `user_id` wants emails of `kind` now: "now", "digest" or "never". A kind nobody
    registered is sent immediately (unless all are stopped)."""
    chosen, stopped = choices_for(user_id)
    if stopped:
        return NEVER
    return chosen.get(kind, NOW)


# --- the one-click "stop all" link (every customer email's footer) --------------------------


def stop_all_token(user_id: int) -> str:
    """Signed, non-expiring: an old email's link still works, and nobody forges one."""
    return signing.dumps({"u": user_id}, salt=STOP_ALL_SALT, compress=True)


def read_stop_all_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=STOP_ALL_SALT)["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def stop_all_url(user_id: int) -> str:
    return settings.SITE_URL + reverse("accounts:stop_all_emails", args=[stop_all_token(user_id)])


def settings_url() -> str:
    return settings.SITE_URL + reverse("accounts:notifications")


def email_links(user_id: int) -> dict:
    """The footer links of every customer email (jobs.notices.register_links)."""
    return {"email_settings_url": settings_url(), "stop_all_url": stop_all_url(user_id)}
