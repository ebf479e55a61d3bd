"""Places on the thread page where other apps add content, without the forum importing them.

Slots:
- "after_question": between the question and its answers (KB article banner,
  "fixed on a linked thread" banner).
- "sidebar": the thread page's right column (similar threads, related articles).

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

Templates can also extend forum/thread.html and fill {% block after_question %}
or {% block sidebar_extra %}.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

SLOTS = ("after_question", "sidebar")
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


def render_thread_panels(slot: str, request, thread) -> list[SafeString]:
    html = []
    for panel in _panels[slot]:
        out = panel(request, thread)
        if out:
            # A panel returns the output of its own template (render_to_string),
            # which escaped what it had to.
            html.append(mark_safe(out))  # noqa: S308
    return html
