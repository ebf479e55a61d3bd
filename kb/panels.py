"""What the knowledge base adds to the forum's thread page, through forum.hooks.

- Answer tools: "Promote to knowledge base" on staff, official and accepted
  answers, for staff only. One query for the page (which answers already became
  an article), none for anyone else.
- After the question: a banner linking to the published article made from the
  thread, and the QAPage JSON-LD of a solved thread.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from accounts import rules
from forum.models import Post, Thread
from kb import actions, queries, seo
from kb.models import ArticleSource


def promote_tools(request, thread: Thread, posts: list[Post]) -> dict[int, str]:
    if not rules.may_write_articles(request.user):
        return {}
    eligible = [p for p in posts if actions.can_promote(p, thread)]
    if not eligible:
        return {}
    promoted = dict(
        ArticleSource.objects.filter(post__in=[p.pk for p in eligible])
        .order_by("-id")
        .values_list("post_id", "article__slug")
    )
    return {
        post.pk: render_to_string(
            "kb/includes/promote_button.html", {"post": post, "slug": promoted.get(post.pk)}, request=request
        )
        for post in eligible
    }


def _fixing_answer(thread: Thread) -> Post | None:
    """The accepted solution, else the first official answer."""
    pinned = getattr(thread, "pinned_answers", None)
    if pinned is not None:  # the thread page loaded them, in exactly this order (forum.hooks)
        return pinned[0] if pinned else None
    if thread.accepted_post_id and thread.accepted_post and not thread.accepted_post.is_deleted:
        return thread.accepted_post
    return (
        Post.objects.visible()
        .official()
        .filter(thread=thread)
        .select_related("author")
        .order_by("official_at")
        .first()
    )


def thread_banner(request, thread: Thread) -> str | None:
    article = queries.thread_article(thread.pk)
    jsonld = ""
    if thread.status == Thread.Status.SOLVED and not thread.is_deleted:
        answer = _fixing_answer(thread)
        if answer is not None:
            jsonld = seo.json_ld(seo.qapage_data(thread, answer))
    if article is None and not jsonld:
        return None
    return render_to_string(
        "kb/includes/thread_banner.html", {"article": article, "jsonld": jsonld}, request=request
    )
