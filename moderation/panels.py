"""What moderation adds to the forum's thread page, through forum.hooks.

- Beside the question, under each answer and on each comment: "Report" (a small form
  in place, with htmx; a page of its own without JavaScript), or "Reported" once the
  viewer has reported it; for moderators, "Moderate" instead (the post's moderation page).
- One query per page for a signed-in viewer (which of these posts they reported), for
  the question, its answers and its comments at once (`thread.page_answers` and
  `thread.page_comments`, see forum.hooks): made on the first tool's call and kept on
  the request. None for visitors, whose "Report" asks them to sign in.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from accounts import rules
from forum.urlkeys import KEY, rekey
from moderation import queries

_MEMO = "_moderation_reported"


def _reported(request, thread, posts=()) -> set[tuple[str, int]]:
    memo = getattr(request, _MEMO, None)
    if memo is None or memo[0] != thread.pk:
        posts = getattr(thread, "page_answers", None) or posts
        comments = getattr(thread, "page_comments", ())
        pairs = [
            ("thread", thread.pk),
            *(("answer", p.pk) for p in posts),
            *(("comment", c.pk) for c in comments),
        ]
        found = queries.reported_by(request.user, pairs) if request.user.is_authenticated else set()
        memo = (thread.pk, found)
        setattr(request, _MEMO, memo)
    return memo[1]


def _tool(request, kind: str, object_id: int, author_id: int, reported: set, hidden: bool) -> str:
    user = request.user
    moderator = rules.may_moderate(user)
    if hidden and not moderator:
        return ""
    if user.is_authenticated and user.pk == author_id and not moderator:
        return ""
    context = {
        "kind": kind,
        "object_id": KEY,
        "moderator": moderator,
        "reported": (kind, object_id) in reported,
    }
    # Rendered once a request per kind of tool, then re-keyed for each answer and comment
    # (issue 14, item 4: one render_to_string per answer and comment was ~0.3 ms each).
    rendered = request.__dict__.setdefault("_report_tool_html", {})
    key = (kind, moderator, context["reported"])
    if key not in rendered:
        rendered[key] = render_to_string("moderation/includes/report_tool.html", context, request=request)
    return rekey(rendered[key], object_id)


def answer_tools(request, thread, posts) -> dict[int, str]:
    reported = _reported(request, thread, posts)
    return {
        post.pk: html
        for post in posts
        if (html := _tool(request, "answer", post.pk, post.author_id, reported, post.is_deleted))
    }


def comment_tools(request, thread, comments) -> dict[int, str]:
    reported = _reported(request, thread)
    return {
        comment.pk: html
        for comment in comments
        if (html := _tool(request, "comment", comment.pk, comment.author_id, reported, comment.is_deleted))
    }


def question_tools(request, thread) -> str:
    reported = _reported(request, thread)
    return _tool(request, "thread", thread.pk, thread.author_id, reported, thread.is_deleted)
