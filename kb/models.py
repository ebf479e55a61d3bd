"""The knowledge base's rows: articles, their revisions, old slugs, sources and votes.

An article is written once (often promoted from a staff answer) and improved
over time. Every save writes a full-text Revision and points the article at it,
so the history can show and restore any version. A slug can change; the old
one is kept in ArticleSlug and redirects for good, so links in emails and
search engines keep working.

Counters (helpful_count, unhelpful_count, view_count) are denormalized for the
list pages and only changed with F() expressions by kb.actions, next to the
row insert they count.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import ItemBase

from accounts import rules
from forum.models import Category, Post, Tag, Thread
from kb.evidence import STALE, THREADS, describe

TITLE_MAX = 150
SLUG_MAX = 80
SUMMARY_MAX = 300
BODY_MAX = 50_000
REASON_MAX = 300
COMMENT_MAX = 200


class TaggedArticle(ItemBase):
    """Articles share the forum's tags, so one tag page can lead to both."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="uniq_article_tag")]


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def visible_to(self, user):
        """Those who write articles (accounts.rules) see drafts and archived ones too;
        everyone else only published ones."""
        return self if rules.may_write_articles(user) else self.published()

    def found_helpful(self):
        """At least one "Yes, it helped" vote: what a list called "most helpful" may hold."""
        return self.filter(helpful_count__gt=0)

    def most_helpful(self):
        return self.order_by("-helpful_count", "unhelpful_count", "-updated_at", "-id")

    def recently_updated(self):
        return self.order_by("-updated_at", "-id")

    def for_list(self):
        return self.select_related("category")

    def needing_review(self):
        """Published articles flagged "needs review" (kb/health.py), the longest flagged first."""
        return self.published().filter(needs_review=True).order_by("review_flagged_at", "id")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=TITLE_MAX)
    slug = models.SlugField(max_length=SLUG_MAX, unique=True)
    summary = models.CharField(max_length=SUMMARY_MAX, blank=True)
    body_md = models.TextField("body (Markdown)")
    body_html = models.TextField("body (sanitized HTML)")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(through=TaggedArticle, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    helpful_count = models.PositiveIntegerField(default=0)
    unhelpful_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    current_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Whether the article works (kb/health.py, docs/insights.md): facts kept by kb.actions
    # (publish, a published edit, a vote, a link, "Reviewed, still right") and by the beat
    # job, never computed per page.
    # When the text readers see now went public: a publish, or an edit of a published article.
    live_since = models.DateTimeField(null=True, blank=True)
    # The last review: live_since, or staff saying "Reviewed, still right" (audited) since.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    needs_review = models.BooleanField(default=False)
    # Since when it is flagged (kept while the reasons change), and the evidence:
    # [{"kind": "threads"|"votes"|"stale", ...numbers}], worded by kb.health.describe.
    review_flagged_at = models.DateTimeField(null=True, blank=True)
    review_reasons = models.JSONField(default=list, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-helpful_count"], name="article_status_helpful"),
            models.Index(fields=["status", "-updated_at"], name="article_status_updated"),
            models.Index(fields=["status", "-unhelpful_count"], name="article_status_unhelpful"),
            models.Index(fields=["needs_review", "review_flagged_at"], name="article_needs_review"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kb:article", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def review_evidence(self) -> list[str]:
        """Why it is flagged "needs review", in plain words (empty when it is not)."""
        return [describe(reason) for reason in self.review_reasons] if self.needs_review else []

    @property
    def review_cluster_url(self) -> str:
        """The duplicate cluster whose growth flagged it, for staff to look at ("" if none)."""
        for reason in self.review_reasons if self.needs_review else []:
            if reason.get("kind") == THREADS and reason.get("cluster"):
                return reverse("duplicates:cluster", args=[reason["cluster"]])
        return ""

    @property
    def review_overdue(self) -> bool:
        """Flagged (also) for not being reviewed: "Reviewed, still right" would lift that reason."""
        return self.needs_review and any(r.get("kind") == STALE for r in self.review_reasons)

    # Words used by the URLs under /kb/; an article's slug never equals one.
    RESERVED_SLUGS = frozenset({"new", "unhelpful", "promote", "category"})

    @classmethod
    def make_slug(cls, title: str) -> str:
        slug = slugify(title)[:SLUG_MAX].strip("-") or "article"
        return f"{slug}-article" if slug in cls.RESERVED_SLUGS else slug


class ArticleSlug(models.Model):
    """A slug the article had before: /kb/<old>/ redirects (301) to the current one."""

    slug = models.SlugField(max_length=SLUG_MAX, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.slug} -> article {self.article_id}"


class Revision(models.Model):
    """One save of an article: the full text it had after that save, who saved it and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    comment = models.CharField(max_length=COMMENT_MAX, blank=True)
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.CharField(max_length=SUMMARY_MAX, blank=True)
    body_md = models.TextField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="uniq_article_revision")]

    def __str__(self) -> str:
        return f"Revision {self.number} of article {self.article_id}"


class ArticleSource(models.Model):
    """A thread the article came from or resolves, and (for a promotion) the answer."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="kb_sources")
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="kb_sources"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["article", "thread"], name="uniq_article_thread")]

    def __str__(self) -> str:
        return f"Article {self.article_id} resolves thread {self.thread_id}"


class HelpfulVote(models.Model):
    """ "Was this helpful?": one per visitor per article.

    `voter` is "u:<user id>" for a signed-in person and "v:<token>" for an
    anonymous visitor (the token lives in a signed cookie), so the unique
    constraint covers both.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    helpful = models.BooleanField()
    reason = models.CharField(max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["article", "voter"], name="uniq_article_vote")]
        indexes = [models.Index(fields=["article", "helpful", "-created_at"], name="articlevote_reasons")]

    def __str__(self) -> str:
        return f"{self.voter} found article {self.article_id} {'helpful' if self.helpful else 'not helpful'}"
