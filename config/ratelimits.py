"""Rate limits on every write, in one table (issue 11, item 1).

A public forum without limits can be flooded: one new account posted 100 threads in
17 s. Every view that writes is named here by its URL name, with the limits of its
kind of action. `RateLimitMiddleware` counts each request to such a view in the cache
(Redis in production, so all web processes share the counts) through django-ratelimit,
keyed by the account and by the client's address (accounts.network.client_ip, which
honours the trusted-proxy settings), and answers 429 when a limit is reached: a page
(or, for htmx, a fragment shown in the page's notice area) that says what was limited
and when to try again, and that shows back what the person wrote, so nothing is lost.

A limit is written "<scope> <count>/<period>", several separated by commas:
- `account`: per signed-in person (the team - staff and moderators - is exempt);
- `new`: per person whose account is younger than NEW_ACCOUNT_HOURS (replaces
  `account` for them, Discourse-style: a new account's first day allows a handful);
- `ip`: per client address, signed in or not;
- `ip-target`: per client address and page (an anonymous vote on one article).
Periods: s, m, h, d, with an optional multiplier ("1/15s": one per 15 seconds).
Each kind can be overridden with an environment variable RATE_LIMIT_<KIND>
(e.g. RATE_LIMIT_THREAD="account 20/d, new 3/d, ip 30/d, account 1/15s").

Sign-up, log-in and password reset are limited by allauth (ACCOUNT_RATE_LIMITS) and
the admin log-in by django-axes; see settings.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

from accounts import rules
from accounts.network import client_ip
from config.ratelimit_syntax import Limit, parse

__all__ = ["VIEW_KINDS", "Limit", "RateLimitMiddleware", "Refusal", "check", "parse"]


# What each kind is called in the message: "You have reached the limit for <noun>".
NOUNS = {
    "thread": "new questions",
    "answer": "answers",
    "comment": "comments",
    "edit": "edits",
    "me_too": "“I have this problem too”",
    "follow": "follows",
    "helpful": "helpful votes",
    "kb_vote": "votes on articles",
    "preview": "previews",
    "suggest": "suggestions",
    "team": "staff and moderator actions",
    "unsubscribe": "unsubscribe requests",
    "privacy": "data downloads and account deletions",
    "report": "reports to the moderators",
}

# URL name -> kind of action. Every URL of ours that writes (or costs the server work
# on every keystroke) is here; tests/config/test_ratelimits.py fails on a new URL
# that is neither here nor known to be read-only.
VIEW_KINDS = {
    "forum:ask": "thread",
    "forum:answer": "answer",
    # Posting, editing and deleting comments: one budget (generous for people, tight
    # for a script: settings.RATE_LIMITS["comment"]).
    "forum:comment": "comment",
    "forum:edit_comment": "comment",
    "forum:delete_comment": "comment",
    "forum:edit_thread": "edit",
    "forum:edit_post": "edit",
    "kb:new": "edit",
    "kb:edit": "edit",
    "kb:restore": "edit",
    "kb:promote": "edit",
    "accounts:settings": "edit",
    "accounts:notifications": "edit",
    "accounts:stop_all": "edit",
    "forum:me_too": "me_too",
    "forum:follow": "follow",
    "forum:follow_topic": "follow",
    "forum:helpful": "helpful",
    "forum:accept": "helpful",
    "forum:linked_fix": "helpful",
    "forum:did_it_fix": "helpful",
    "forum:mark_solved": "helpful",
    "kb:vote": "kb_vote",
    "forum:preview": "preview",
    "forum:tag_suggest": "suggest",
    "search:suggest": "suggest",
    "forum:official": "team",
    "forum:lock_thread": "team",
    "forum:delete_thread": "team",
    "forum:delete_post": "team",
    "duplicates:decide_link": "team",
    "duplicates:merge": "team",
    "kb:publish": "team",
    "kb:archive": "team",
    "kb:link": "team",
    "kb:reviewed": "team",
    "desk:take": "team",
    "desk:next": "team",
    "desk:release": "team",
    "desk:hand_over": "team",
    "desk:add_note": "team",
    "desk:duty": "team",
    "desk:settings": "team",
    "desk:unsubscribe": "unsubscribe",
    "desk:decide_link": "team",
    "desk:promote_repeat": "team",
    "desk:dismiss_repeat": "team",
    "desk:new_reply": "team",
    "desk:edit_reply": "team",
    "desk:delete_reply": "team",
    "forum:unsubscribe": "unsubscribe",
    "forum:topic_unsubscribe": "unsubscribe",
    "accounts:stop_all_emails": "unsubscribe",
    "accounts:data": "privacy",
    "accounts:delete": "privacy",
    "moderation:report": "report",
    "moderation:hide": "team",
    "moderation:redact": "team",
    "moderation:lock": "team",
    "moderation:dismiss": "team",
    "moderation:suspend": "team",
    "moderation:ban": "team",
}
# Views limited on GET as well: they answer while someone types.
LIMIT_GET = {"forum:tag_suggest", "search:suggest", "accounts:data"}


@dataclass(frozen=True)
class Refusal:
    kind: str
    limit: Limit
    retry_after: int  # seconds

    @property
    def message(self) -> str:
        noun = NOUNS.get(self.kind, "this action")
        per = _period_words(self.limit.seconds)
        who = {
            "new": f" for an account in its first {settings.NEW_ACCOUNT_HOURS} hours",
            "ip": " from one network address",
            "ip-target": " on this page from one network address",
        }.get(self.limit.scope, "")
        return (
            f"You have reached the limit for {noun}: {self.limit.count} {per}{who}. "
            f"Please try again in {_wait_words(self.retry_after)}."
        )


def _period_words(seconds: int) -> str:
    for size, word in ((86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second")):
        if seconds % size == 0:
            n = seconds // size
            return f"per {word}" if n == 1 else f"per {n} {word}s"
    return f"per {seconds} seconds"


def _wait_words(seconds: int) -> str:
    if seconds < 60:
        return "a few seconds" if seconds <= 5 else f"{seconds} seconds"
    if seconds < 3_600:
        minutes = math.ceil(seconds / 60)
        return "a minute" if minutes == 1 else f"{minutes} minutes"
    hours = math.ceil(seconds / 3_600)
    return "an hour" if hours == 1 else f"{hours} hours"


def _key(limit: Limit, request) -> str | None:
    user = request.user
    if limit.scope in ("account", "new"):
        if not user.is_authenticated or rules.is_team(user):
            return None
        if (limit.scope == "new") != user.is_new_account:
            return None
        return f"user:{user.pk}"
    if rules.is_team(user):
        return None
    if limit.scope == "ip":
        return f"ip:{client_ip(request)}"
    return f"ip:{client_ip(request)}:{request.path}"


def check(request, kind: str) -> Refusal | None:
    """Count this request against every limit of its kind; the first one reached refuses it."""
    refusal = None
    for limit in settings.RATE_LIMITS.get(kind, ()):
        value = _key(limit, request)
        if value is None:
            continue
        usage = get_usage(
            request, group=f"onefix:{kind}:{limit.scope}", key=lambda _g, _r, v=value: v,
            rate=limit.rate, increment=True,
        )  # fmt: skip
        if usage and usage["should_limit"] and refusal is None:
            refusal = Refusal(kind, limit, max(1, usage["time_left"]))
    return refusal


# The fields shown back on a refusal, with their labels: what people write. Tokens,
# passwords, ids and the honeypot never are.
WRITTEN_FIELDS = {
    "title": "Title",
    "body": "Your text",
    "summary": "Summary",
    "tags": "Tags",
    "reason": "Reason",
    "note": "Note",
    "comment": "Comment",
    "display_name": "Display name",
}


class RateLimitMiddleware:
    """Refuse, with 429, requests over a limit of VIEW_KINDS; everything else passes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        kind = VIEW_KINDS.get(match.view_name) if match else None
        if kind is None or not settings.RATELIMIT_ENABLE:
            return None
        if request.method in ("GET", "HEAD", "OPTIONS") and match.view_name not in LIMIT_GET:
            return None
        refusal = check(request, kind)
        if refusal is None:
            return None
        return refused(request, refusal)


def refused(request, refusal: Refusal):
    written = [
        (label, request.POST[name])
        for name, label in WRITTEN_FIELDS.items()
        if request.POST.get(name, "").strip()
    ]
    context = {"refusal": refusal, "written": written}
    template = "ratelimits/fragment.html" if getattr(request, "htmx", False) else "ratelimits/page.html"
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    if getattr(request, "htmx", False):
        # Shown in the page's notice area, whatever element asked (static/js/onefix.js
        # lets htmx swap a 429).
        response["HX-Retarget"] = "#notices"
        response["HX-Reswap"] = "innerHTML"
    return response
