"""What the knowledge base holds about a person, for accounts.privacy (registered in
KbConfig.ready). Articles and their revisions are kept (staff writing for everyone);
a person's "Was this helpful?" votes are erased and the article counts recomputed."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.privacy import iso
from kb.models import Article, ArticleSource, HelpfulVote, Revision


def export_articles(user) -> list[dict]:
    return [
        {"id": a.pk, "title": a.title, "slug": a.slug, "status": a.status, "body": a.body_md}
        for a in Article.objects.filter(author=user).order_by("pk")
    ]


def export_revisions(user) -> list[dict]:
    return [
        {"article_id": r.article_id, "number": r.number, "title": r.title, "comment": r.comment,
         "created_at": iso(r.created_at)}
        for r in Revision.objects.filter(author=user).order_by("pk")
    ]  # fmt: skip


def export_sources(user) -> list[dict]:
    return [
        {"article_id": s.article_id, "thread_id": s.thread_id, "post_id": s.post_id}
        for s in ArticleSource.objects.filter(added_by=user).order_by("pk")
    ]


def export_votes(user) -> list[dict]:
    return [
        {
            "article_id": v.article_id,
            "helpful": v.helpful,
            "reason": v.reason,
            "created_at": iso(v.created_at),
        }
        for v in HelpfulVote.objects.filter(user=user).order_by("pk")
    ]


EXPORTS = {
    "kb.Article.author": export_articles,
    "kb.Revision.author": export_revisions,
    "kb.ArticleSource.added_by": export_sources,
    "kb.HelpfulVote.user": export_votes,
}


def erase(user) -> None:
    votes = HelpfulVote.objects.filter(Q(user=user) | Q(voter=f"u:{user.pk}"))
    article_ids = list(votes.values_list("article_id", flat=True))
    votes.delete()

    def counted(helpful: bool):
        rows = (
            HelpfulVote.objects.filter(article=OuterRef("pk"), helpful=helpful)
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows), 0)

    Article.objects.filter(pk__in=article_ids).update(
        helpful_count=counted(True), unhelpful_count=counted(False)
    )
