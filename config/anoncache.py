"""The anonymous cache, as Discourse has it: a visitor who is not signed in gets the
home page, the lists, thread pages and KB pages from the cache (issue 14, item 3).

    request ── AnonymousCacheMiddleware ── hit? ──► the stored page, made this visitor's
                 (inside CSRF, CSP)         miss ─► the view ─► store a visitor-neutral copy

Who is served from it: GET or HEAD, a page named in CACHED_PAGES, no htmx request, and
no cookie that can change the page: no session (signed in, a kept draft, a pending
"me too") and no messages. Everyone else goes to the view as before, and so does every
request when ANON_CACHE_SECONDS is 0.

What is stored is nobody's: the page is rendered with placeholders where a visitor's
CSRF token goes (the `csrf_token` context variable, config.context_processors) and where
the CSP nonce is; each response, fresh or from the cache, gets this visitor's own token
(and the CSRF cookie that goes with it, set by CsrfViewMiddleware) and a new nonce
matching its own Content-Security-Policy header. A response that sets any cookie, or
whose view asked for a real CSRF token, is not stored.

Invalidation: every stored page holds the site's cache generation it was made in, read
with the page in one round trip; a page of an older generation is a miss. Any write
ends the generation: a
non-GET request answered below 500 (a post, a vote, an edit, an admin change) and any
outbox job that ran (config.wiring: linking, fix fan-out...). The TTL bounds what
happens outside both (a management command): ANON_CACHE_SECONDS, default 60. One
generation for the whole site is coarse (an answer on one thread drops every cached
page) but can never serve a page a change should have altered; docs/operations.md.

View counts: a cached page still counts its view (forum.views_counter), which adds it
in Redis and lets a beat job write the sums to the database in batches.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

CSRF_PLACEHOLDER = "onefixCsrfPlaceholder0000000000000000000000000000000000000000000"
NONCE_PLACEHOLDER = "onefixNoncePlaceholder00"
GENERATION_KEY = "anon:generation"
CACHED_PAGES = {
    "home",
    "forum:list",
    "forum:tagged",
    "forum:category",
    "forum:thread",
    "kb:home",
    "kb:category",
    "kb:article",
}
_KEPT_HEADERS = {"content-type", "content-language", "link", "x-robots-tag", "vary"}


def generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = secrets.token_hex(6)
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY) or value
    return value


def invalidate() -> None:
    """Something changed: no page cached before this moment is served again."""
    cache.set(GENERATION_KEY, secrets.token_hex(6), timeout=None)


def _uses_cookies_that_matter(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def cacheable(request):
    """The URL match if this request may be served from the anonymous cache, else None."""
    if not settings.ANON_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return None
    if request.headers.get("HX-Request") or _uses_cookies_that_matter(request):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match if match.view_name in CACHED_PAGES else None


def _key(request) -> str:
    return f"anon:page:{request.get_host()}:{request.get_full_path()}"


class AnonymousCacheMiddleware:
    """Between CsrfViewMiddleware (outside: sets the visitor's cookie) and the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = cacheable(request)
        if match is None:
            return self.get_response(request)
        request.anon_cacheable = True
        key = _key(request)
        # One round trip: the site's generation and the page (stored with the generation
        # it was made in; a page from an older generation is a miss).
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY) or generation()
        stored = found.get(key)
        if stored is not None and stored[0] == current:
            _, status, headers, body = stored
            response = HttpResponse(self._personal(request, body), status=status)
            for header, value in headers:
                response[header] = value
            response["X-Anon-Cache"] = "hit"
            self._count(match)
            return response
        response = self.get_response(request)
        if self._storable(request, response):
            cache.set(key, (current, *self._neutral(request, response)), timeout=settings.ANON_CACHE_SECONDS)
            response["X-Anon-Cache"] = "miss"
        if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
            response.content = response.content.replace(
                CSRF_PLACEHOLDER.encode(), get_token(request).encode()
            )
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # the view (not the template's placeholder) asked for a real token: it is in the page
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "no-store" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _neutral(request, response) -> tuple[int, list[tuple[str, str]], bytes]:
        body = response.content
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:
            body = body.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
        headers = [(h, v) for h, v in response.items() if h.lower() in _KEPT_HEADERS]
        return response.status_code, headers, body

    @staticmethod
    def _personal(request, body: bytes) -> bytes:
        if NONCE_PLACEHOLDER.encode() in body:
            body = body.replace(NONCE_PLACEHOLDER.encode(), str(request.csp_nonce).encode())
        if CSRF_PLACEHOLDER.encode() in body:
            body = body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
        return body

    @staticmethod
    def _count(match) -> None:
        if match.view_name == "forum:thread":
            from forum import views_counter

            views_counter.record(int(match.kwargs["thread_id"]))


class InvalidateOnWriteMiddleware:
    """Outermost of ours: a request that may have changed something ends the generation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 500:
            invalidate()
        return response
