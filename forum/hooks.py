"""Where apps above the forum plug in, without the forum importing them.

Two kinds of hooks, both explicit registries filled in the subscriber's
AppConfig.ready(): thread-page panels (below), and events (further below: "thread
written", "post written", "fix published", "thread redirect", "restore check", "people
changed").

Thread-page slots:
- "after_question": between the question and its answers (KB article banner,
  "fixed on a linked thread" banner).
- "sidebar": the thread page's right column (similar threads, related articles).
- "question_tools": beside the question's own links (Edit, Lock …), e.g. "Report"
  (moderation). Rendered after the answer tools, so a tool that needs the same rows for
  the question and its answers can load them once, on the answer tools' call.

A panel is `fn(request, thread) -> str | None`: HTML the panel rendered with its
own template (so its escaping is its own), or None to show nothing. On the thread
page, `thread.pinned_answers` holds the answers the page already loaded for its top:
the accepted solution first, then official answers by time (authors loaded, deleted
ones left out); a panel reads it instead of querying them again. Register in
AppConfig.ready():

    from forum.hooks import register_thread_panel
    register_thread_panel("sidebar", similar_threads_panel)

Answer tools: `register_answer_tools(fn)` where `fn(request, thread, posts)` gets
every answer on the page at once and returns {post_id: html} for the answers it adds
a tool to (e.g. "Promote to knowledge base"). One call per page, so a tool costs at
most one query however many answers there are.

Answer prefill: `register_answer_prefill(fn)` where `fn(request, thread) -> str | None`
is asked, when the thread page is opened (GET) with no draft of the visitor's own to put
back, for a text to start the answer box with (e.g. the desk's saved reply chosen with
`?reply=<id>`, for staff). The first text that is not empty wins. A prefill must decide
from the request alone whether it applies, so a page without its parameter costs no query.

Comment tools: `register_comment_tools(fn)`, the same for the comments on the page:
`fn(request, thread, comments) -> {comment_id: html}` (e.g. "Report"), called once per
page after the answer tools. `thread.page_answers` and `thread.page_comments` hold every
answer and comment on the page from before the first tool is called, so a tool that
needs rows for all of them loads them once.

Panel data: `register_panel_data(name, fn)` where `fn()` returns an ORM expression about
one thread (`OuterRef("pk")` is the thread; lists of rows through forum.paneldata.JSONRows).
A panel reads `forum.paneldata.panel_data(thread)[name]`: every registered expression is
read in one query for the page, whichever panel asks first (issue 14, item 4), instead of
a query or more per panel. Names start with the app's label ("duplicates_links").

Templates can also extend forum/thread.html and fill {% block after_question %}
or {% block sidebar_extra %}.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.safestring import SafeString, mark_safe

from forum.paneldata import register_panel_data  # the panels' one query (see its module)

__all__ = ["register_panel_data"]  # with the other register_* functions below

SLOTS = ("after_question", "sidebar", "question_tools")
ThreadPanel = Callable[..., str | None]
_panels: dict[str, list[ThreadPanel]] = {slot: [] for slot in SLOTS}


def register_thread_panel(slot: str, panel: ThreadPanel) -> ThreadPanel:
    if slot not in _panels:
        raise ValueError(f"unknown thread page slot {slot!r}; use one of {SLOTS}")
    if panel not in _panels[slot]:
        _panels[slot].append(panel)
    return panel


AnswerTools = Callable[..., dict[int, str]]
_answer_tools: list[AnswerTools] = []


def register_answer_tools(fn: AnswerTools) -> AnswerTools:
    if fn not in _answer_tools:
        _answer_tools.append(fn)
    return fn


def attach_answer_tools(request, thread, posts) -> None:
    """Set `post.extra_tools` (a list of HTML strings) on every answer in posts."""
    posts = list(posts)
    for post in posts:
        post.extra_tools = []
    if not posts:
        return
    by_id = {post.pk: post for post in posts}
    for fn in _answer_tools:
        for post_id, out in (fn(request, thread, posts) or {}).items():
            if out and post_id in by_id:
                # Rendered by the tool's own template, which escaped what it had to.
                by_id[post_id].extra_tools.append(mark_safe(out))  # noqa: S308


AnswerPrefill = Callable[..., str | None]
_answer_prefills: list[AnswerPrefill] = []


def register_answer_prefill(fn: AnswerPrefill) -> AnswerPrefill:
    if fn not in _answer_prefills:
        _answer_prefills.append(fn)
    return fn


def answer_prefill(request, thread) -> str:
    """The text to start the answer box with, or "" (see the module's docstring)."""
    for fn in _answer_prefills:
        if text := fn(request, thread):
            return text
    return ""


CommentTools = Callable[..., dict[int, str]]
_comment_tools: list[CommentTools] = []


def register_comment_tools(fn: CommentTools) -> CommentTools:
    if fn not in _comment_tools:
        _comment_tools.append(fn)
    return fn


def attach_comment_tools(request, thread, comments) -> None:
    """Set `comment.extra_tools` (a list of HTML strings) on every comment in comments."""
    comments = list(comments)
    for comment in comments:
        comment.extra_tools = []
    if not comments:
        return
    by_id = {comment.pk: comment for comment in comments}
    for fn in _comment_tools:
        for comment_id, out in (fn(request, thread, comments) or {}).items():
            if out and comment_id in by_id:
                # Rendered by the tool's own template, which escaped what it had to.
                by_id[comment_id].extra_tools.append(mark_safe(out))  # noqa: S308


def render_thread_panels(slot: str, request, thread) -> list[SafeString]:
    html = []
    for panel in _panels[slot]:
        out = panel(request, thread)
        if out:
            # A panel returns the output of its own template (render_to_string),
            # which escaped what it had to.
            html.append(mark_safe(out))  # noqa: S308
    return html


# --- Events -----------------------------------------------------------------------------
#
# What the forum announces to the apps above it (duplicates subscribes to five, in
# duplicates/apps.py; desk to "thread written" and "post written", in desk/apps.py). Why an explicit registry and not Django signals:
# - three of them need an answer back (where a merged thread's URL goes; whether a
#   thread may be restored), which a signal returns as a list of (receiver, response)
#   pairs that every sender would have to interpret;
# - a signal holds its receivers by weak reference: a receiver defined as a closure
#   disappears silently; these lists hold what was registered, for the whole process;
# - this one module states every contract (arguments, transaction, what a subscriber
#   may do), and "who listens?" is one grep for the register_* name.
# Subscribers run in registration order, in the caller's transaction and thread; an
# exception propagates to the action (and rolls its transaction back). A subscriber
# only records work (rows, outbox jobs); anything slow or external happens after commit.

ThreadWritten = Callable[..., object]
PostWritten = Callable[..., Iterable[int] | None]
FixPublished = Callable[..., object]
ThreadRedirect = Callable[[int], object]
RestoreCheck = Callable[..., str | None]

_thread_written: list[ThreadWritten] = []
_post_written: list[PostWritten] = []
_fix_published: list[FixPublished] = []
_thread_redirects: list[ThreadRedirect] = []
_restore_checks: list[RestoreCheck] = []
PeopleChanged = Callable[..., object]
_people_changed: list[PeopleChanged] = []
ThreadSolved = Callable[..., object]
_thread_solved: list[ThreadSolved] = []


def _add(registry: list, fn):
    if fn not in registry:
        registry.append(fn)
    return fn


def register_thread_written(fn: ThreadWritten) -> ThreadWritten:
    """`fn(thread, tags, category)` after a question was asked, or after an edit changed
    its title, body, category or tags (`tags`: tag names, `category`: its slug). Called
    inside the writer's transaction, with the thread's row written (and locked, on edit)."""
    return _add(_thread_written, fn)


def register_post_written(fn: PostWritten) -> PostWritten:
    """`fn(post, thread) -> user ids | None` after an answer was written (not on edit);
    `thread` is its row, locked. Inside the writer's transaction, before the forum queues
    its "new answer" email to followers. A subscriber that tells some people about this
    answer itself (the desk: "a customer replied on a question you're handling") returns
    their ids, and the forum's follower email leaves them out: one email per person per
    answer."""
    return _add(_post_written, fn)


def register_fix_published(fn: FixPublished) -> FixPublished:
    """`fn(thread, post, actor, kind)` when a thread gets a fix that should reach everyone
    with the same problem: kind "official" (a staff answer marked official) or "accepted"
    (an answer accepted as the solution); `post` is that answer. Inside the writer's
    transaction. (A knowledge-base article is announced by kb itself, which calls the
    duplicates app directly.)"""
    return _add(_fix_published, fn)


def register_thread_redirect(fn: ThreadRedirect) -> ThreadRedirect:
    """`fn(thread_id) -> Thread | None`: where the URL of a thread the visitor cannot see
    (missing, or hidden) moves for good, e.g. a thread merged into another. The first
    answer that is not None wins."""
    return _add(_thread_redirects, fn)


def register_restore_check(fn: RestoreCheck) -> RestoreCheck:
    """`fn(thread) -> str | None`: a reason why a deleted thread may not be restored (shown
    to the moderator), or None. Called before restore_thread writes."""
    return _add(_restore_checks, fn)


def register_people_changed(fn: PeopleChanged) -> PeopleChanged:
    """`fn(thread_ids)` when the people a thread counts may have changed: a me-too, a
    follow or unfollow, a merge, a delete or restore (each thread's `people_count` is
    already stored). Inside the writer's transaction. duplicates keeps a cluster's count."""
    return _add(_people_changed, fn)


def register_thread_solved(fn: ThreadSolved) -> ThreadSolved:
    """`fn(thread_id)` when a question's status became "solved", however it got there (an
    official answer, an accepted solution, a linked question's fix): forum.actions'
    refresh_status calls it inside the writer's transaction, with the thread's row locked.
    The desk ends the claim on it: the work is done, and if the asker later says "still
    broken", the question comes back to the whole team."""
    return _add(_thread_solved, fn)


def thread_solved(thread_id: int) -> None:
    for fn in _thread_solved:
        fn(thread_id)


def people_changed(thread_ids) -> None:
    for fn in _people_changed:
        fn(list(thread_ids))


def thread_written(thread, tags, category: str) -> None:
    for fn in _thread_written:
        fn(thread, tags, category)


def post_written(post, thread) -> set[int]:
    """Tell the subscribers; return the people they will email about this answer themselves."""
    told: set[int] = set()
    for fn in _post_written:
        told.update(fn(post, thread) or ())
    return told


def fix_published(thread, post, actor, kind: str) -> None:
    for fn in _fix_published:
        fn(thread, post, actor, kind)


def thread_redirect(thread_id: int):
    for fn in _thread_redirects:
        target = fn(thread_id)
        if target is not None:
            return target
    return None


def restore_refusal(thread) -> str | None:
    for fn in _restore_checks:
        reason = fn(thread)
        if reason:
            return reason
    return None
