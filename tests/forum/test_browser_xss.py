"""Hundreds of XSS payloads through every field a person writes, rendered in Chromium:
nothing runs, nothing is blocked by the Content-Security-Policy because nothing tried
(issue 11, item 9).

Fields: thread title, body and tags, answer, display name (through the settings page),
KB article title, summary, body and change comment (staff write them), the KB
"not helpful" reason (anonymous visitors write it, staff read it), the search query
(search page and header box) and the title typed on the ask page (suggestion panel).
There are no comments on posts yet, so there is no comment field to test.

A page counts as failed when, after it has loaded and htmx has processed it, any of
these happened: a dialog opened; alert/confirm/prompt/print were called (an init script
replaces them and records the call); a request reached the marker host `xss.test` or
the marker path `/xss-marker/` (routed and counted); a `securitypolicyviolation` event
fired or Chromium logged a CSP refusal; or the DOM holds what no template of ours
writes (a handler attribute, a script without the nonce, a javascript:/data: URL, an
injected hx-* attribute, an iframe/object/base/style element …).

To keep this to seconds, payloads are batched: every payload is one answer (about a
hundred answers per thread page), thread and article bodies hold many payloads each,
and all titles, tags and names are on one question list. Fields read once per request
(the search query, the ask page's title) take a sample of the breakouts and polyglots,
which aim at attribute values and the page head where such fields are shown. Timings are in the commit message, not asserted here.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forum import actions as forum_actions
from forum import indexing
from forum.models import BODY_MAX, Category, Thread
from forum.notifications import build_email
from forum.views import lists
from kb import actions as kb_actions
from tests.conftest import make_user
from tests.xss_payloads import BREAKOUTS, MARKER_HOST, MARKER_PATH, PAYLOADS, POLYGLOTS, fitting

ANSWER_PAGES = 8
# Fields shown once per request (search query, typed title): what aims at attributes and head.
REFLECTED = [*BREAKOUTS, *POLYGLOTS]
SHORT_TRICKS = [
    p for p in REFLECTED if len(p) <= 130
]  # fit a title after a label  # every payload is one answer, spread over this many thread pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOOKS = """
(() => {
  const calls = [], csp = [];
  Object.defineProperty(window, '__xss', {value: calls});
  Object.defineProperty(window, '__csp', {value: csp});
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    Object.defineProperty(window, name, {value: function (arg) { calls.push(name + '(' + String(arg).slice(0, 60) + ')'); }});
  }
  document.addEventListener('securitypolicyviolation',
    e => csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')), true);
})();
"""

# What no template of ours writes, so its presence means user text became markup.
DOM_SCAN = r"""
() => {
  const found = [];
  const squash = v => v.replace(/[\u0000-\u0020\u00a0\u00ad\u200b-\u200f\u202a-\u202e\u3000\ufeff]/g, '').toLowerCase();
  const badScheme = /^(javascript|vbscript|livescript|data):/;
  const urlAttrs = ['href', 'xlink:href', 'src', 'action', 'formaction', 'data', 'poster', 'background',
                    'cite', 'longdesc', 'srcdoc', 'srcset', 'ping', 'to', 'values', 'from', 'by'];
  const loads = ['src', 'action', 'formaction', 'data', 'poster', 'background', 'srcset', 'ping'];
  const foreign = ['iframe', 'frame', 'frameset', 'object', 'embed', 'base', 'applet', 'portal', 'style',
                   'math', 'template', 'xmp', 'noembed', 'noframes', 'plaintext', 'marquee', 'isindex',
                   'keygen', 'dialog', 'image', 'foreignobject', 'animate', 'set', 'use', 'xss', 'x'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName.toLowerCase();
    const where = '<' + tag + (el.id ? '#' + el.id : '') + '>';
    if (tag === 'script' && !el.nonce && el.type !== 'application/ld+json') found.push('script without nonce ' + where);
    if (foreign.includes(tag)) found.push('element ' + where);
    if (tag === 'meta' && el.hasAttribute('http-equiv')) found.push('meta http-equiv');
    if (tag === 'link' && !el.closest('head')) found.push('link outside head');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = squash(attr.value);
      if (name.startsWith('on')) found.push(name + ' on ' + where);
      if (/^(data-)?hx-|^_$|^x-|^ng-|^v-|^data-bind$|^sse-/.test(name) && /xss-marker|xss\.test|alert\(|\/delete\/|js:/.test(value))
        found.push(name + '=' + attr.value + ' on ' + where);
      if (urlAttrs.includes(name) && badScheme.test(value)) found.push(name + '=' + attr.value.slice(0, 40) + ' on ' + where);
      if (loads.includes(name) && /xss\.test|xss-marker/.test(value)) found.push(name + '=' + attr.value + ' on ' + where);
      if (name === 'style' && /url\(|expression|behavior|binding|position:fixed|@import/.test(value))
        found.push('style=' + attr.value + ' on ' + where);
    }
  }
  return found;
}
"""


# The request htmx makes when a title is typed, without the typing delay; resolves once swapped.
SWAP = """({url, target}) => new Promise(done => {
  document.body.addEventListener('htmx:afterSettle', done, {once: true});
  htmx.ajax('GET', url, {target: target, swap: 'innerHTML'});
})"""


class Watch:
    """Everything that would show a payload ran, for one browser context."""

    def __init__(self, context):
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.popups: list[str] = []
        context.add_init_script(HOOKS)
        marker = re.compile(rf"(//{re.escape(MARKER_HOST)}[/:]|{re.escape(MARKER_PATH)})")
        context.route(marker, self._marker_request)
        context.on("page", lambda p: self.popups.append(p.url))
        self.context = context

    def _marker_request(self, route):
        self.requests.append(route.request.url)
        route.fulfill(status=204, body="")

    def page(self):
        page = self.context.new_page()
        page.set_default_timeout(15_000)
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on(
            "console",
            lambda m: (
                self.console.append(m.text)
                if "Content Security Policy" in m.text or "Refused to" in m.text
                else None
            ),
        )
        self.popups.clear()  # the page just opened is ours
        return page

    def check(self, page, where: str, findings: dict) -> None:
        """Record what went wrong on this page (nothing, we expect) and reset."""
        page.wait_for_load_state("load")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
        problems = [f"called {c}" for c in page.evaluate("window.__xss || []")]
        problems += [f"CSP {c}" for c in page.evaluate("window.__csp || []")]
        problems += [f"DOM {d}" for d in page.evaluate(DOM_SCAN)]
        problems += [f"request {u}" for u in self.requests]
        problems += [f"dialog {m}" for m in self.dialogs]
        problems += [f"console {m}" for m in self.console]
        problems += [f"popup {u}" for u in self.popups]
        if problems:
            findings[where] = problems
        for log in (self.requests, self.dialogs, self.console, self.popups):
            log.clear()


def chunks(items: list[str], limit: int) -> list[str]:
    """Join payloads into Markdown documents of at most `limit` characters."""
    docs, current = [], ""
    for item in items:
        piece = f"\n\n{item}\n\n"
        if current and len(current) + len(piece) > limit:
            docs.append(current)
            current = ""
        current += piece
    return [*docs, current] if current else docs


def signed_in_context(browser, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def payload_people(limit: int) -> list:
    """Customers whose display names are payloads, set through the settings page.
    Names the form refuses (reserved words, invisible characters) never reach a page."""
    people = []
    client = Client()
    for i, payload in enumerate(fitting(40, every=2)[:limit]):
        person = make_user(f"name{i}@example.com", f"Person {i}")
        client.force_login(person)
        response = client.post(reverse("accounts:settings"), {"display_name": payload})
        if response.status_code == 302:
            person.refresh_from_db()
            people.append(person)
    return people


def test_no_payload_runs_in_any_field_on_any_page(browser, live_server, monkeypatch, alice, bob):
    monkeypatch.setattr(lists, "PER_PAGE", 1000)  # every title, tag and name on one list page
    category = Category.objects.create(name="Sync & accounts", slug="sync", position=1)
    people = payload_people(120)
    assert len(people) >= 80, "most payload names fit the display-name rules"
    # Established accounts: a new one may post only 2 links (forum/spam.py), and the
    # payloads are full of them. The spam rules are tested in tests/forum/test_spam.py.
    User.objects.filter(pk__in=[p.pk for p in people]).update(date_joined=timezone.now() - timedelta(days=30))
    people = list(User.objects.filter(pk__in=[p.pk for p in people]).order_by("pk"))
    authors = itertools.cycle(people)

    # Thread bodies: every payload, many to a body. Answers: every payload, one each.
    # The search index is written once per thread afterwards, not once per answer
    # (re-indexing a thread with a hundred answers for each one was most of the time).
    with monkeypatch.context() as patched:
        patched.setattr(indexing, "index_thread", lambda thread_id: None)
        body_threads = [
            forum_actions.create_thread(next(authors), f"Bodies {n:02d} {title}", body, category, [title])
            for n, (body, title) in enumerate(
                zip(chunks(PAYLOADS, BODY_MAX), itertools.cycle(SHORT_TRICKS), strict=False)
            )
        ]
        answer_threads = [
            forum_actions.create_thread(next(authors), f"Answers {n:02d} {title}", "Answers below.", category)
            for n, title in zip(range(ANSWER_PAGES), itertools.cycle(SHORT_TRICKS[::-1]), strict=False)
        ]
        for i, payload in enumerate(PAYLOADS):
            forum_actions.add_answer(answer_threads[i % ANSWER_PAGES], next(authors), payload)
        for thread in answer_threads:  # solved: the page carries JSON-LD with title and texts
            forum_actions.accept_solution(thread, thread.posts.first(), thread.author)
        # Titles and tags: one thread each, all on the list page.
        titled = fitting(130, every=4)
        for i, payload in enumerate(titled):
            tags = [payload, PAYLOADS[(i * 7) % len(PAYLOADS)][:40]]
            forum_actions.create_thread(
                next(authors), f"Question {i:03d} {payload}", f"Body of {i:03d}.", category, tags
            )
    for thread_id in Thread.objects.values_list("id", flat=True):
        indexing.index_thread(thread_id)
    # Knowledge base: staff write title, summary, body and the change comment;
    # anonymous readers write the "not helpful" reason.
    articles = []
    kb_bodies = chunks(PAYLOADS, 49_000)
    for n, payload in enumerate(fitting(140, every=6)):
        article = kb_actions.create_article(
            bob,
            f"Article {n:03d} {payload}",
            payload[:300],
            kb_bodies[n] if n < len(kb_bodies) else f"Steps for article {n:03d}: {payload}",
            category,
            [payload[:30]],
            comment=payload[:200],
        )
        kb_actions.publish(article, bob)
        articles.append(article)
    reasons = fitting(300, every=2)
    for i, reason in enumerate(reasons):
        article = articles[i % len(articles)]
        kb_actions.vote(article, f"v:reader{i}", False)
        kb_actions.add_vote_reason(article, f"v:reader{i}", reason)

    findings: dict[str, list[str]] = {}
    pages_seen = 0

    # A staff member reads everything (drafts, the unhelpful reasons, histories).
    watch = Watch(signed_in_context(browser, live_server, bob))
    page = watch.page()
    paths = ["/", reverse("forum:list"), reverse("kb:home"), reverse("kb:unhelpful")]
    paths += [t.get_absolute_url() for t in [*body_threads, *answer_threads]]
    paths += [a.get_absolute_url() for a in articles[: len(kb_bodies) + 2]]
    paths += [reverse("kb:history", args=[a.slug]) for a in articles[:3]]
    paths += [reverse("forum:tagged", args=[t.slug]) for t in body_threads[0].tags.all()[:1]]
    paths += [people[0].get_absolute_url(), people[-1].get_absolute_url()]
    for path in paths:
        page.goto(path)
        watch.check(page, path, findings)
        pages_seen += 1

    # Search: the query is reflected in the results page and the header box; the
    # results list payload titles from threads and articles. Each query is one page,
    # so the header box takes every third breakout and polyglot on a light page, and the
    # results page a sample (a search over hundreds of payload documents is slow).
    light = reverse("forum:tagged", args=[body_threads[0].tags.first().slug])
    for query in REFLECTED[::3]:
        page.goto(light + "?" + urlencode({"q": query}))
        watch.check(page, f"header box {query!r}", findings)
        pages_seen += 1
    for query in [*REFLECTED[:6], *POLYGLOTS[:3], "alert", "script img onerror", "javascript svg"]:
        page.goto(reverse("search:search") + "?" + urlencode({"q": query, "tag": REFLECTED[:2]}))
        watch.check(page, f"search {query!r}", findings)
        pages_seen += 1
    # The ask page: a typed title fetches the suggestion panel through htmx. Three are
    # typed for real; the rest go through the same htmx request without the typing delay.
    page.goto(reverse("forum:ask"))
    for typed in ("alert script onerror", BREAKOUTS[0], POLYGLOTS[0]):
        with page.expect_response(lambda r: "/search/suggest" in r.url):
            page.locator("#id_title").fill(typed)
    watch.check(page, "ask: typed titles", findings)
    for title in [*REFLECTED[1::3], "alert onerror img", "javascript svg onload", "Article"]:
        url = reverse("search:suggest") + "?" + urlencode({"title": title})
        page.evaluate(SWAP, {"url": url, "target": "#ask-suggestions"})
    page.evaluate(SWAP, {"url": reverse("forum:tag_suggest") + "?tags=al", "target": "#tag-suggestions"})
    watch.check(page, "ask: suggestion panel", findings)
    pages_seen += 1
    watch.context.close()

    # A payload-named person sees their own name in the header.
    watch = Watch(signed_in_context(browser, live_server, people[1]))
    page = watch.page()
    page.goto(reverse("accounts:settings"))
    watch.check(page, "settings page of a payload-named person", findings)
    watch.context.close()

    # Emails (no CSP in a mail client, so this is the escaping alone): one document
    # with the HTML of a notification about each answer on the first thread.
    watch = Watch(browser.new_context())
    page = watch.page()
    reader = make_user("reader@example.com", "Reader")
    emails = [
        build_email("answer", post, post.author, reader).alternatives[0][0]
        for post in answer_threads[0].posts.select_related("author", "thread")
    ]
    page.set_content("\n".join(emails))
    watch.check(page, f"{len(emails)} notification emails", findings)
    watch.context.close()

    assert Thread.objects.count() == len(body_threads) + ANSWER_PAGES + len(titled)
    assert pages_seen > 20
    kinds = Counter(problem.split(" ", 1)[0] for found in findings.values() for problem in found)
    assert findings == {}, (
        f"{sum(kinds.values())} problems on {len(findings)} pages {dict(kinds)}: "
        + "; ".join(f"{where}: {found[:4]}" for where, found in itertools.islice(findings.items(), 10))
    )


def test_the_watch_sees_a_payload_that_runs(browser):
    """The sensors work: on a page without our CSP, a handler that runs and an image
    from the marker host are both reported."""
    watch = Watch(browser.new_context())
    page = watch.page()
    page.set_content('<img src=x onerror="alert(1)"><img src="https://xss.test/seen.png"><b onclick=x>b</b>')
    findings: dict[str, list[str]] = {}
    watch.check(page, "probe", findings)
    watch.context.close()
    assert "called alert(1)" in findings["probe"]
    assert "request https://xss.test/seen.png" in findings["probe"]
    assert "DOM onclick on <b>" in findings["probe"]
