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

Invalidation: every stored page holds the generations it was made in, read with the
page in one round trip; a page made in an older generation is a miss. A thread page
depends on the site's generation and its thread's; the home page and the question lists
on the site's and the lists'; KB pages on the site's and the KB's. A write ends:
- one thread's generation and the lists' when it is one of THREAD_WRITES, POST_WRITES or
  COMMENT_WRITES (an answer, a comment, a vote, "me too", an accepted answer...: their
  effect on public pages is that thread's page and the lists that show its counts);
  a link job does the same for the thread it linked (config.wiring);
- the lists' for a new question (LIST_WRITES), the KB's for a vote on an article
  (KB_WRITES), nothing for a preview (NO_PAGE_WRITES) or a mail-queue job (they send and
  record emails; config.wiring);
- the site's generation, i.e. every page, for any other write: any other non-GET request
  answered below 500 (an edit of the question, a delete, a lock, the desk, moderation,
  accounts and signing in, which may apply a kept "me too", the admin) and any other
  outbox job that ran (threads solved through a linked fix). A new kind of write is
  safe by default.
What lags: a page's figures about *other* objects (a thread page's panel on a linked
question's status, a KB article's "helped N people" after a "me too" on one of its
threads, a new question in another thread's related list) are as old as the page, at
most ANON_CACHE_SECONDS, the TTL that also bounds what nothing announces (a management
command). With one generation for the whole site, every write dropped every page: under
the 50-user load (about three writes a second) one read in ten was a hit
(docs/benchmarks.md).

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
GENERATION_KEY = "anon:generation"  # the site's: every page
LISTS_KEY = "anon:generation:lists"  # home, question lists
KB_KEY = "anon:generation:kb"  # KB pages
THREAD_KEY = "anon:generation:thread:{}"  # one thread's pages
# A thread's generation is dropped a day after its last write: a missing generation is
# made anew (at random), so a page stored before is a miss, never wrongly a hit.
THREAD_KEY_SECONDS = 24 * 3600
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
# Writes whose whole effect on public pages is one thread's page and the lists (their
# thread from the URL, from the answer, from the comment). Not here, so they end every
# page: the question's edit, delete and lock (its title and state show on other threads'
# pages), and everything outside the forum.
THREAD_WRITES = {
    "forum:answer",
    "forum:comment",
    "forum:me_too",
    "forum:follow",
    "forum:accept",
    "forum:did_it_fix",
    "forum:linked_fix",
    "forum:mark_solved",
}
POST_WRITES = {"forum:edit_post", "forum:helpful", "forum:official", "forum:delete_post"}
COMMENT_WRITES = {"forum:edit_comment", "forum:delete_comment"}
LIST_WRITES = {"forum:ask"}  # a new question: the lists (other threads' pages lag, above)
KB_WRITES = {"kb:vote"}  # "was this helpful" on an article: its counts on KB pages
NO_PAGE_WRITES = {"forum:preview"}  # renders Markdown, writes nothing
KB_PAGES = {"kb:home", "kb:category", "kb:article"}
_KEPT_HEADERS = {"content-type", "content-language", "link", "x-robots-tag", "vary"}


def generation(key: str = GENERATION_KEY) -> str:
    """A generation's current value, made (at random) if it has none."""
    value = cache.get(key)
    if value is None:
        value = secrets.token_hex(6)
        cache.add(key, value, timeout=THREAD_KEY_SECONDS if key.startswith(THREAD_KEY[:-2]) else None)
        value = cache.get(key) or value
    return value


def _end(key: str, timeout: int | None = None) -> None:
    """End one generation: pages made in it are misses from now on."""
    cache.set(key, secrets.token_hex(6), timeout=timeout)


def invalidate() -> None:
    """Something changed: no page cached before this moment is served again."""
    _end(GENERATION_KEY)


def invalidate_thread(thread_id: int) -> None:
    """One thread changed: its pages and the lists (which show its counts and status)
    are made again; other threads' pages stay."""
    _end(THREAD_KEY.format(int(thread_id)), THREAD_KEY_SECONDS)
    _end(LISTS_KEY)


def _scopes(match) -> list[str]:
    """The generations a cached page depends on."""
    if match.view_name == "forum:thread":
        return [GENERATION_KEY, THREAD_KEY.format(int(match.kwargs["thread_id"]))]
    return [GENERATION_KEY, KB_KEY if match.view_name in KB_PAGES else LISTS_KEY]


def written_thread(match) -> int | None:
    """The one thread a write changed, when its effect is that thread's alone (see the
    module's docstring); None for any other write."""
    if match.view_name in THREAD_WRITES:
        return int(match.kwargs["thread_id"])
    if match.view_name in POST_WRITES or match.view_name in COMMENT_WRITES:
        from forum.models import Comment, Post

        model, pk = (Post, "post_id") if match.view_name in POST_WRITES else (Comment, "comment_id")
        return model.objects.filter(pk=match.kwargs[pk]).values_list("thread_id", flat=True).first()
    return None


def invalidate_after(match) -> None:
    """End the generations a write (a non-GET request answered below 500) changed."""
    if match is None:
        invalidate()
    elif match.view_name in NO_PAGE_WRITES:
        return
    elif match.view_name in LIST_WRITES:
        _end(LISTS_KEY)
    elif match.view_name in KB_WRITES:
        _end(KB_KEY)
    elif (thread_id := written_thread(match)) is not None:
        invalidate_thread(thread_id)
    else:
        invalidate()


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
        # One round trip: the page's generations and the page (stored with the generations
        # it was made in; a page from an older one is a miss).
        scopes = _scopes(match)
        found = cache.get_many([*scopes, key])
        current = tuple(found.get(scope) or generation(scope) for scope in scopes)
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
    """Outermost of ours: a request that may have changed something ends the generation
    of what it changed (invalidate_after)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 500:
            invalidate_after(getattr(request, "resolver_match", None))
        return response
