"""Keep what a signed-out visitor typed while they sign in.

A POST from a visitor who is not signed in stores the typed fields in the
session under the page's path (accounts.decorators.sign_in_first does it), then
sends them to sign in with ?next= that page; the page reads the draft back once
(and forgets it) with `pop_draft`.
"""

from __future__ import annotations

SESSION_KEY = "forum_drafts"  # its name from when it lived in forum: sessions in flight keep their drafts
MAX_DRAFTS = 5


def save_draft(request, path: str, fields: dict[str, str]) -> None:
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts.pop(path, None)
    drafts[path] = {k: str(v)[:25_000] for k, v in fields.items() if v}
    while len(drafts) > MAX_DRAFTS:
        drafts.pop(next(iter(drafts)))
    request.session[SESSION_KEY] = drafts


def pop_draft(request, path: str) -> dict[str, str] | None:
    if SESSION_KEY not in request.session:
        return None
    drafts = dict(request.session[SESSION_KEY])
    draft = drafts.pop(path, None)
    if draft is not None:
        request.session[SESSION_KEY] = drafts
    return draft


def kept_for(request) -> str | None:
    """The page whose draft is waiting for this visitor to sign in or sign up: the one
    `?next=` names if it has a draft, else the latest. None: nothing kept."""
    drafts = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not drafts:
        return None
    wanted = request.GET.get("next") or request.POST.get("next")
    if wanted in drafts:
        return wanted
    return next(reversed(drafts))
