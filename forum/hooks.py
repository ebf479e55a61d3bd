"""Places on the thread page where other apps add content, without the forum importing them.

Slots:
- "after_question": between the question and its answers (KB article banner,
  "fixed on a linked thread" banner).
- "sidebar": the thread page's right column (similar threads, related articles).

A panel is `fn(request, thread) -> str | None`: HTML the panel rendered with its
own template (so its escaping is its own), or None to show nothing. Register in
AppConfig.ready():

    from forum.hooks import register_thread_panel
    register_thread_panel("sidebar", similar_threads_panel)

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


def render_thread_panels(slot: str, request, thread) -> list[SafeString]:
    html = []
    for panel in _panels[slot]:
        out = panel(request, thread)
        if out:
            # A panel returns the output of its own template (render_to_string),
            # which escaped what it had to.
            html.append(mark_safe(out))  # noqa: S308
    return html
