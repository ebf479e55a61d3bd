"""What the knowledge base adds to the forum's thread page, through forum.hooks.

- Answer tools: "Promote to knowledge base" on staff, official and accepted
  answers, for staff only. One query for the page (which answers already became
  an article), none for anyone else.
- After the question: a banner linking to the published article made from the
  thread, and the QAPage JSON-LD of a solved thread. The article is read with the other
  apps' panels in the page's one panel query (`kb_article`, forum.paneldata).
"""

from __future__ import annotations

from django.db.models import OuterRef
from django.template.loader import render_to_string

from accounts import rules
from forum.models import Post, Thread
from forum.paneldata import JSONRows, panel_data
from kb import actions, seo
from kb.models import Article, ArticleSource


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


def article_data():
    """queries.thread_article as panel data: the published article made from (or
    resolving) the thread, if any."""
    sources = ArticleSource.objects.filter(
        thread_id=OuterRef("pk"), article__status=Article.Status.PUBLISHED
    ).order_by("created_at", "id")[:1]
    return JSONRows(sources, id="article_id", title="article__title", slug="article__slug")


def thread_banner(request, thread: Thread) -> str | None:
    rows = panel_data(thread)["kb_article"]
    article = Article(**rows[0]) if rows else None
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
