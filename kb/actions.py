"""Every write the knowledge base makes. Plain functions: no request, usable from
views, tasks, commands and tests. Each raises forum.errors.NotAllowed or
InvalidAction when it refuses, with a message meant for the person who tried.

Every change to an article's text is a new Revision (full text) and moves
`current_revision`; every write re-indexes the article for search in the same
transaction, so a search right after a publish finds it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from accounts import rules
from audit.actions import record
from duplicates import fixes
from duplicates.models import Fix
from forum.actions import normalize_tags
from forum.conversation import strip_conversation
from forum.errors import InvalidAction, NotAllowed
from forum.markdown import mask_personal_data
from forum.models import MAX_TAGS, Category, Post, Thread
from jobs import outbox
from kb import health, indexing
from kb.models import (
    BODY_MAX,
    COMMENT_MAX,
    REASON_MAX,
    SLUG_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Article,
    ArticleSlug,
    ArticleSource,
    HelpfulVote,
    Revision,
)
from kb.text import render_article

TITLE_MIN = 10
BODY_MIN = 20
PUBLISHED_JOB = "kb_published"  # the outbox kind, registered in kb/apps.py

# The team's knowledge-base actions in the audit log (written in the same transaction).
AUDIT_ACTIONS = {
    "article.promote": "Promoted an answer to an article",
    "article.publish": "Published an article",
    "article.archive": "Archived an article",
    "article.restore_revision": "Restored an earlier version of an article",
    "article.link": "Linked a question to an article",
    "article.review": "Reviewed an article: still right",
}


class EditConflict(InvalidAction):
    """Someone saved a newer revision than the one this change was based on."""

    def __init__(self, message: str, *, current: int):
        super().__init__(message)
        self.current = current


def _newer_revision(current: Article, seen: int) -> Revision | None:
    """The article's current revision when it is not the one numbered `seen`.
    Precondition: `current` is the locked row."""
    revision = Revision.objects.select_related("author").filter(pk=current.current_revision_id).first()
    return revision if revision is not None and revision.number != seen else None


def _require_staff(user, what: str) -> None:
    if not rules.may_write_articles(user):
        raise NotAllowed(f"Only staff can {what}.")


def _check_text(title: str, summary: str, body: str) -> tuple[str, str, str]:
    title = " ".join(title.split())
    summary = " ".join(summary.split())
    body = body.strip()
    if len(title) < TITLE_MIN:
        raise InvalidAction(f"The title needs at least {TITLE_MIN} characters.")
    if len(title) > TITLE_MAX:
        raise InvalidAction(f"The title can have at most {TITLE_MAX} characters.")
    if len(summary) > SUMMARY_MAX:
        raise InvalidAction(f"The summary can have at most {SUMMARY_MAX} characters.")
    if len(body) < BODY_MIN:
        raise InvalidAction(f"The article needs at least {BODY_MIN} characters of text.")
    if len(body) > BODY_MAX:
        raise InvalidAction(f"An article can have at most {BODY_MAX} characters.")
    return title, summary, body


def _check_tags(tags: Iterable[str]) -> list[str]:
    names = normalize_tags(list(tags))
    if len(names) > MAX_TAGS:
        raise InvalidAction(f"Use at most {MAX_TAGS} tags.")
    return names


def clean_slug(raw: str) -> str:
    slug = slugify(raw.strip().lower())[:SLUG_MAX].strip("-")
    if not slug:
        raise InvalidAction("The address needs at least one letter or digit.")
    if slug in Article.RESERVED_SLUGS:
        raise InvalidAction(f"“{slug}” is reserved for a page of the knowledge base; choose another address.")
    return slug


def slug_taken(slug: str, article_id: int | None = None) -> bool:
    """Used by another article, now or before (an old slug keeps redirecting for good)."""
    others = Article.objects.filter(slug=slug)
    old = ArticleSlug.objects.filter(slug=slug)
    if article_id is not None:
        others = others.exclude(pk=article_id)
        old = old.exclude(article_id=article_id)
    return others.exists() or old.exists()


def _free_slug(title: str) -> str:
    base = Article.make_slug(title)
    slug, n = base, 1
    while slug_taken(slug):
        n += 1
        suffix = f"-{n}"
        slug = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return slug


def _add_revision(article: Article, by, comment: str, created_at=None) -> Revision:
    number = (article.revisions.aggregate(top=Max("number"))["top"] or 0) + 1
    return Revision.objects.create(
        article=article,
        number=number,
        author=by,
        created_at=created_at or timezone.now(),
        comment=comment.strip()[:COMMENT_MAX],
        title=article.title,
        summary=article.summary,
        body_md=article.body_md,
    )


def _create(by, *, title, summary, body, category, tags, comment, created_at=None) -> Article:
    now = created_at or timezone.now()
    article = Article.objects.create(
        title=title,
        slug=_free_slug(title),
        summary=summary,
        body_md=body,
        body_html=render_article(body),
        category=category,
        author=by,
        created_at=now,
        updated_at=now,
    )
    if tags:
        article.tags.set(tags)
    article.current_revision = _add_revision(article, by, comment, now)
    article.save(update_fields=["current_revision"])
    return article


def create_article(
    by,
    title: str,
    summary: str,
    body: str,
    category: Category,
    tags: Iterable[str] = (),
    *,
    comment: str = "",
) -> Article:
    """Write a new draft from scratch (staff). Revision 1 holds its text."""
    _require_staff(by, "write articles")
    title, summary, body = _check_text(title, summary, body)
    names = _check_tags(tags)
    with transaction.atomic():
        article = _create(
            by,
            title=title,
            summary=summary,
            body=body,
            category=category,
            tags=names,
            comment=comment or "First draft",
        )
        indexing.index_article(article.pk)
    return article


def can_promote(post: Post, thread: Thread) -> bool:
    """A staff answer, an official answer or the accepted solution (and not deleted).
    Precondition: post.author loaded."""
    if post.is_deleted or thread.is_deleted:
        return False
    return post.is_official or thread.accepted_post_id == post.pk or post.author.is_support_staff


def _fix_text(answer_md: str) -> str:
    """The answer from the fix on; the answer as written if too little would be left."""
    text = strip_conversation(answer_md)
    return text if len(text) >= BODY_MIN else answer_md


def promote(post: Post, by, *, created_at=None) -> Article:
    """Turn an answer into a draft article (staff): the thread's title and category,
    the answer's text from the fix on (kb.conversation: without the greeting to the
    asker and the sign-off), the thread's tags, a source link to the thread and answer
    (which is where the attribution to the answer's author comes from). The summary is
    left for staff to write: the question's words are the asker's, not the article's.
    Promoting the same answer again returns the article it already became."""
    _require_staff(by, "promote answers to the knowledge base")
    post = Post.objects.select_related("author", "thread", "thread__category").get(pk=post.pk)
    thread = post.thread
    if not can_promote(post, thread):
        raise InvalidAction(
            "Only a staff answer, an official answer or an accepted solution can become an article."
        )
    existing = Article.objects.filter(sources__post=post).order_by("pk").first()
    if existing is not None:
        return existing
    title = thread.title if len(thread.title) >= TITLE_MIN else f"{thread.title} (fix)"
    with transaction.atomic():
        article = _create(
            by,
            title=title,
            summary="",
            body=_fix_text(post.body_md),
            category=thread.category,
            tags=list(thread.tags.names()),
            comment=f"Promoted from {post.author.display_name}'s answer in “{thread.title}”"[:COMMENT_MAX],
            created_at=created_at,
        )
        ArticleSource.objects.create(article=article, thread=thread, post=post, added_by=by)
        indexing.index_article(article.pk)
        record(by, "article.promote", article, kind="article", thread_id=thread.pk, post_id=post.pk)
    return article


def save_article(
    article: Article,
    by,
    *,
    title: str,
    summary: str,
    body: str,
    category: Category,
    tags: Iterable[str],
    slug: str | None = None,
    comment: str = "",
    base_revision: int | None = None,
) -> bool:
    """Save a new version (staff). Anything changed makes a new Revision with the full
    text; a save that changes nothing makes none and returns False. A new slug keeps
    the old one as a permanent redirect; taking back an earlier slug of the same
    article is allowed.

    `base_revision`: the revision number the editor started from (the edit form's);
    when someone saved a newer one since, raises EditConflict and saves nothing, so
    their text is not silently replaced. None skips the check (restores, the demo)."""
    _require_staff(by, "edit articles")
    title, summary, body = _check_text(title, summary, body)
    names = _check_tags(tags)
    new_slug = clean_slug(slug) if slug is not None else None
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if base_revision is not None:
            newer = _newer_revision(current, base_revision)
            if newer is not None:
                raise EditConflict(
                    f"{newer.author.display_name} saved a newer version (revision #{newer.number}) "
                    "while you were editing. Nothing was saved: your text is below. Compare it with "
                    "the history, then save again to replace theirs.",
                    current=newer.number,
                )
        old_names = sorted(current.tags.names())
        fields = []
        for name, value in (("title", title), ("summary", summary), ("body_md", body)):
            if getattr(current, name) != value:
                setattr(current, name, value)
                fields.append(name)
        if "body_md" in fields:
            current.body_html = render_article(body)
            fields.append("body_html")
        if current.category_id != category.pk:
            current.category = category
            fields.append("category")
        if new_slug and new_slug != current.slug:
            if slug_taken(new_slug, current.pk):
                raise InvalidAction(f"The address “{new_slug}” is already used by another article.")
            ArticleSlug.objects.filter(article=current, slug=new_slug).delete()
            ArticleSlug.objects.create(article=current, slug=current.slug)
            current.slug = new_slug
            fields.append("slug")
        tags_changed = sorted(names) != old_names
        if not fields and not tags_changed:
            return False
        if tags_changed:
            current.tags.set(names)
        current.updated_at = timezone.now()
        current.current_revision = _add_revision(current, by, comment)
        if current.is_published:
            # The new revision is public at once: a reviewed text, counted afresh (kb/health.py).
            current.live_since = current.reviewed_at = current.updated_at
            fields += ["live_since", "reviewed_at"]
        current.save(update_fields=[*fields, "updated_at", "current_revision"])
        indexing.index_article(current.pk)
        if current.is_published:
            health.recompute([current.pk], now=current.updated_at)
    article.refresh_from_db()
    return True


def restore_revision(article: Article, number: int, by) -> bool:
    """Bring back an earlier version's text as a new revision (staff); history is never
    rewritten. Returns False when that version is what the article already says."""
    _require_staff(by, "restore earlier versions")
    revision = Revision.objects.filter(article=article, number=number).first()
    if revision is None:
        raise InvalidAction(f"This article has no revision {number}.")
    article.refresh_from_db()
    with transaction.atomic():
        changed = save_article(
            article,
            by,
            title=revision.title,
            summary=revision.summary,
            body=revision.body_md,
            category=article.category,
            tags=article.tags.names(),
            comment=f"Restored revision {number}",
        )
        if changed:
            record(by, "article.restore_revision", article, kind="article", number=number)
    return changed


def publish(article: Article, by, *, now=None, revision: int | None = None) -> bool:
    """Make a draft or archived article public (staff). Returns False if it already was.

    `revision`: the revision number the publisher confirmed (the confirmation page shows
    its text and who will be emailed). If the article's current revision is another one
    — someone saved since — raises EditConflict and publishes nothing. None publishes
    whatever is current (the admin's action, the demo).

    In the same transaction: the search index shows it, the followers of its source
    threads get one email each (outbox, after commit; never the publisher), and a fix
    is recorded once per source thread (duplicates.fixes.record_fix) so linked threads
    learn about it.
    """
    _require_staff(by, "publish articles")
    now = now or timezone.now()
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.status == Article.Status.PUBLISHED:
            return False
        if revision is not None:
            newer = _newer_revision(current, revision)
            if newer is not None:
                raise EditConflict(
                    f"Nothing was published: {newer.author.display_name} saved a newer version "
                    f"(revision #{newer.number}) after you opened revision #{revision}. "
                    "Check the text below, then publish again.",
                    current=newer.number,
                )
        current.status = Article.Status.PUBLISHED
        current.published_at = current.published_at or now
        current.updated_at = now
        current.live_since = current.reviewed_at = now  # what readers see from now on, reviewed
        current.save(update_fields=["status", "published_at", "updated_at", "live_since", "reviewed_at"])
        indexing.index_article(current.pk)
        health.recompute([current.pk], now=now)
        sources = list(current.sources.select_related("thread", "post"))
        if sources:
            outbox.enqueue(
                PUBLISHED_JOB,
                {"article_id": current.pk, "actor_id": by.pk},
                dedupe_key=f"{PUBLISHED_JOB}:{current.pk}",
            )
        for source in sources:
            fixes.record_fix(source.thread, source.post, by, Fix.Kind.ARTICLE, article=current)
        record(by, "article.publish", current, kind="article")
    article.refresh_from_db()
    return True


def archive(article: Article, by) -> bool:
    """Take an article off the public site (staff): 404 for others, out of public search."""
    _require_staff(by, "archive articles")
    with transaction.atomic():
        done = (
            Article.objects.filter(pk=article.pk)
            .exclude(status=Article.Status.ARCHIVED)
            .update(
                status=Article.Status.ARCHIVED,
                updated_at=timezone.now(),
                # Only published articles are judged (kb/health.py): off the review lists.
                needs_review=False,
                review_reasons=[],
                review_flagged_at=None,
            )
        )
        if done:
            indexing.index_article(article.pk)
            record(by, "article.archive", article, kind="article")
    article.refresh_from_db()
    return bool(done)


def link_thread(article: Article, thread: Thread, by) -> bool:
    """Record that the article also resolves `thread` (staff). On a published article the
    thread's followers are told (once per person per article) and the fix is recorded
    for the thread's cluster.
    Returns False if it was linked already."""
    _require_staff(by, "link threads to articles")
    if thread.is_deleted:
        raise InvalidAction("That question was deleted.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                source = ArticleSource.objects.create(article=article, thread=thread, added_by=by)
        except IntegrityError:
            return False
        current = Article.objects.get(pk=article.pk)
        if current.is_published:
            outbox.enqueue(
                PUBLISHED_JOB,
                {"article_id": current.pk, "actor_id": by.pk, "thread_ids": [thread.pk]},
                dedupe_key=f"{PUBLISHED_JOB}:{current.pk}:{thread.pk}",
            )
            fixes.record_fix(thread, source.post, by, Fix.Kind.ARTICLE, article=current)
            health.recompute([current.pk])
        record(by, "article.link", current, kind="article", thread_id=thread.pk, thread=thread.title)
    return True


def mark_reviewed(article: Article, by, *, now=None) -> bool:
    """ "Reviewed, still right" (staff): a reviewer read the published article and it
    holds. Clears the "not reviewed for KB_REVIEW_DAYS" reason and restarts that clock;
    the other reasons stand (they are about readers: kb/health.py). Audited.
    Returns False when the article was already reviewed at that moment."""
    _require_staff(by, "review articles")
    now = now or timezone.now()
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if not current.is_published:
            raise InvalidAction("Only a published article can be reviewed; publish it first.")
        if current.reviewed_at is not None and current.reviewed_at >= now:
            return False
        current.reviewed_at = now
        current.save(update_fields=["reviewed_at"])
        health.recompute([current.pk], now=now)
        record(by, "article.review", current, kind="article")
    article.refresh_from_db()
    return True


def vote(article: Article, voter: str, helpful: bool, *, user=None) -> bool:
    """ "Was this helpful?" once per visitor (`voter`: "u:<id>" or "v:<token>"). Only on
    published articles. A second vote from the same visitor changes nothing and
    returns False (unique constraint, so two quick clicks cannot both count)."""
    if not voter:
        raise InvalidAction("We could not tell who voted; please enable cookies and try again.")
    if article.status != Article.Status.PUBLISHED:
        raise InvalidAction("This article is not published.")
    counter = "helpful_count" if helpful else "unhelpful_count"
    with transaction.atomic():
        try:
            with transaction.atomic():
                HelpfulVote.objects.create(
                    article=article,
                    voter=voter[:64],
                    user=user if user is not None and user.is_authenticated else None,
                    helpful=helpful,
                )
        except IntegrityError:
            return False
        Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
        health.recompute([article.pk])  # its helpful share may have crossed the cut
    return True


def add_vote_reason(article: Article, voter: str, reason: str) -> bool:
    """Add the optional short reason to this visitor's vote, once. Returns False when
    there is no vote or it already has a reason."""
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidAction("Write a few words, or skip this: the vote already counts.")
    if len(reason) > REASON_MAX:
        raise InvalidAction(f"Please keep it under {REASON_MAX} characters.")
    reason = mask_personal_data(reason)[:REASON_MAX]
    return bool(HelpfulVote.objects.filter(article=article, voter=voter, reason="").update(reason=reason))


def record_view(article_id: int) -> None:
    Article.objects.filter(pk=article_id).update(view_count=F("view_count") + 1)
