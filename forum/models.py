"""The forum's rows: categories, tags, threads, posts (answers), comments, votes, follows,
history.

Status and locking are two separate facts: `status` says how far the question
got (open / waiting for staff / answered by staff -> solved; docs/forum.md, "Statuses")
and `is_locked` says whether it takes new answers. A solved thread can be locked (and stays "solved"), and unlocking
brings back exactly the status it had, which one combined field could not do.

Counters (answer_count, me_too_count, follower_count, view_count,
helpful_count) are denormalized for the list pages and only ever changed with
F() expressions by forum.actions, next to the row insert or delete they count.

Two facts are recomputed from the rows by the actions that change them (see
forum/actions/threads.py, `refresh_status` and `refresh_people`):
- `waiting_since`: when the current wait for staff began, or None when nobody is
  waiting for staff (docs/forum.md, "Waiting for staff"). The desk's queue and the
  public "Waiting for staff" tab read it; nothing computes it per page.
- `people_count`: the people affected, each once: the asker, the me-too voters and
  the followers outside the team.

`linked_fix` says whether the question is solved through a fix published on a linked
question (issue 10, item 5; docs/forum.md, "Solved through a linked question"): the
app that links questions (duplicates) marks it, the asker answers "Did this fix it for
you too?". The forum stores which fix (`linked_fix_key`, an opaque name the marking
app chose, with its address and title) so that it never needs to import that app.
"""

from __future__ import annotations

from urllib.parse import quote_plus

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from accounts import rules
from forum.urlkeys import slug_url

TITLE_MAX = 150
BODY_MAX = 20_000
COMMENT_MAX = 600
MAX_TAGS = 5


class Category(models.Model):
    """A product area. Ordered by `position`, then name."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("forum:category", self.slug)


class Tag(TagBase):
    """A forum tag. Names are stored normalized (lowercase slug), so name == slug."""

    class Meta:
        ordering = ["name"]

    def get_absolute_url(self) -> str:
        return slug_url("forum:tagged", self.slug)


class TaggedThread(ItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_threads")
    content_object = models.ForeignKey("Thread", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="uniq_thread_tag")]


class ThreadQuerySet(models.QuerySet):
    def visible(self):
        """What everyone may see: not deleted."""
        return self.filter(is_deleted=False)

    def visible_to(self, user):
        """Those who may see hidden rows (accounts.rules) also see deleted threads."""
        return self if rules.may_see_hidden(user) else self.visible()

    def unanswered(self):
        return self.filter(answer_count=0)

    def solved(self):
        return self.filter(status=Thread.Status.SOLVED)

    def waiting(self):
        """Waiting for staff (docs/forum.md): visible, with a wait under way."""
        return self.filter(is_deleted=False, waiting_since__isnull=False)

    def in_category(self, slug: str):
        return self.filter(category__slug=slug)

    def tagged(self, slug: str):
        return self.filter(tags__slug=slug)

    def by_affected(self):
        """Most affected first: the people affected the rows show (people_count, each person
        once; me-too votes plus followers counted a voter twice, as voters follow)."""
        return self.order_by("-people_count", "-created_at", "-id")

    def for_list(self):
        """Everything a list row shows, in a fixed number of queries."""
        return self.select_related("author", "category").prefetch_related("tags")


class Thread(models.Model):
    """A public question."""

    class Status(models.TextChoices):
        """The one vocabulary of a question's state (docs/forum.md, "Statuses"): every
        page, list, badge, desk row, search result and email shows these labels, through
        `get_status_display` (templates: forum/includes/status.html)."""

        OPEN = "open", "Open"
        WAITING = "waiting", "Waiting for staff"
        STAFF_ANSWERED = "staff_answered", "Answered by staff"
        SOLVED = "solved", "Solved"

    class MarkedSolved(models.TextChoices):
        NONE = "", "No"
        STAFF = "staff", "Staff marked it solved"
        AUTO = "auto", 'Solved automatically: no reply to "Did this fix it?" in time'

    class LinkedFix(models.TextChoices):
        NONE = "", "No"
        PENDING = "pending", "Solved through a linked question (the asker has not said)"
        CONFIRMED = "confirmed", "Solved through a linked question (the asker said it fixed theirs)"
        REJECTED = "rejected", "The asker said the linked fix did not fix theirs"

    title = models.CharField(max_length=TITLE_MAX)
    slug = models.SlugField(max_length=80, allow_unicode=False)
    body_md = models.TextField("body (Markdown)")
    body_html = models.TextField("body (sanitized HTML)")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="threads")
    tags = TaggableManager(through=TaggedThread, blank=True)
    # Kept by forum.actions (refresh_status), from the facts below and the answers.
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    is_locked = models.BooleanField(default=False)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    first_staff_response_at = models.DateTimeField(null=True, blank=True)
    answer_count = models.PositiveIntegerField(default=0)
    me_too_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    accepted_post = models.ForeignKey(
        "Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept by forum.actions (refresh_status): None when nobody is waiting for staff.
    waiting_since = models.DateTimeField(null=True, blank=True)
    # Kept by forum.actions (refresh_people): asker + me-too voters + followers outside the team.
    people_count = models.PositiveIntegerField(default=1)
    # Kept by forum.actions (mark_solved_through_link, answer_linked_fix): see the module doc.
    linked_fix = models.CharField(max_length=10, choices=LinkedFix.choices, default="", blank=True)
    linked_fix_key = models.CharField(max_length=80, blank=True)
    linked_fix_url = models.CharField(max_length=500, blank=True)
    linked_fix_title = models.CharField(max_length=300, blank=True)
    linked_fix_at = models.DateTimeField(null=True, blank=True)  # when `linked_fix` last changed
    # "Did this fix it?" (docs/forum.md, "Statuses"): asked of the asker when an answer is
    # marked official (fix_asked_at); their "No" (fix_declined_at) puts it back with staff.
    fix_asked_at = models.DateTimeField(null=True, blank=True)
    fix_declined_at = models.DateTimeField(null=True, blank=True)
    # Solved without an accepted answer: staff's "Mark solved" or the auto-solve job.
    marked_solved = models.CharField(max_length=8, choices=MarkedSolved.choices, default="", blank=True)
    marked_solved_at = models.DateTimeField(null=True, blank=True)
    marked_solved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["is_deleted", "-created_at"], name="thread_visible_newest"),
            models.Index(fields=["status", "-last_activity_at"], name="thread_status_activity"),
            models.Index(fields=["answer_count", "-created_at"], name="thread_unanswered"),
            # The waiting threads only (about a tenth of them): the desk and the public tab.
            models.Index(
                fields=["waiting_since"], name="thread_waiting", condition=Q(waiting_since__isnull=False)
            ),
            # The staff desk's queue (desk.queries.queue_page), over what waiting() keeps: the
            # count and the tier ranges from the index alone, and each tier's first rows in
            # the queue's order (more people, then the longer wait, then the older thread).
            models.Index(
                fields=["waiting_since", "category", "people_count", "id"],
                name="thread_waiting_cover",
                condition=Q(is_deleted=False, waiting_since__isnull=False),
            ),
            models.Index(
                fields=["-people_count", "waiting_since", "id"],
                name="thread_waiting_people",
                condition=Q(is_deleted=False, waiting_since__isnull=False),
            ),
            # The questions solved through a linked question, by when (the insights' people
            # reached by linked fixes, desk/insights.py): a few in a hundred.
            models.Index(
                fields=["linked_fix_at"],
                name="thread_linked_fix_at",
                condition=Q(linked_fix__in=["pending", "confirmed"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_deleted=False) | Q(deleted_at__isnull=False), name="thread_deleted_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("forum:thread", self.slug or "-", self.pk)

    # Words used by the action URLs under /questions/<id>/; a slug never equals one.
    RESERVED_SLUGS = frozenset(
        {
            "answer",
            "comment",
            "edit",
            "history",
            "delete",
            "lock",
            "me-too",
            "follow",
            "accept",
            "linked-fix",
            "did-it-fix",
            "solved",
        }
    )

    @classmethod
    def make_slug(cls, title: str) -> str:
        slug = slugify(title)[:80].strip("-") or "question"
        return f"{slug}-question" if slug in cls.RESERVED_SLUGS else slug

    @property
    def people_affected(self) -> int:
        """The asker, the me-too voters and the followers outside the team, each once."""
        return self.people_count

    @property
    def solved_through_link(self) -> bool:
        """Counts as solved because of a fix on a linked question (refresh_status)."""
        return self.linked_fix in (Thread.LinkedFix.PENDING, Thread.LinkedFix.CONFIRMED)

    @property
    def is_solved(self) -> bool:
        """Solved, from the facts (docs/forum.md, "Statuses"): the asker accepted an answer,
        staff marked it solved, the auto-solve job did, or a fix on a linked question."""
        return bool(self.accepted_post_id or self.marked_solved or self.solved_through_link)

    @property
    def asks_did_it_fix(self) -> bool:
        """The asker is asked "Did this fix it?": an answer was marked official since they
        last said "No", and the question is not solved. (The view also checks that an
        official answer is still visible.)"""
        return (
            self.fix_asked_at is not None
            and not self.is_solved
            and (self.fix_declined_at is None or self.fix_declined_at < self.fix_asked_at)
        )

    @property
    def is_waiting(self) -> bool:
        return self.waiting_since is not None and not self.is_deleted

    @property
    def first_response_delay(self):
        if self.first_staff_response_at is None:
            return None
        return self.first_staff_response_at - self.created_at


class PostQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_deleted=False)

    def visible_to(self, user):
        """Those who may see hidden rows (accounts.rules) also see deleted answers."""
        return self if rules.may_see_hidden(user) else self.visible()

    def official(self):
        return self.filter(is_official=True)

    def display_order(self):
        """Official answers first, then by helpfulness, then oldest first."""
        return self.order_by("-is_official", "-helpful_count", "created_at", "id")


class Post(models.Model):
    """An answer to a thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    body_md = models.TextField("body (Markdown)")
    body_html = models.TextField("body (sanitized HTML)")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    helpful_count = models.PositiveIntegerField(default=0)
    is_official = models.BooleanField(default=False)
    official_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    official_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="post_thread_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_official=False) | Q(official_at__isnull=False), name="post_official_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk} to thread {self.thread_id}"

    def get_absolute_url(self) -> str:
        # ?answer= opens the page of answers that holds it (issue 14, item 4: answers paginate).
        return f"{self.thread.get_absolute_url()}?answer={self.pk}#post-{self.pk}"


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """What everyone may see: not deleted, and not under a deleted answer."""
        return self.filter(is_deleted=False).filter(Q(post__isnull=True) | Q(post__is_deleted=False))

    def visible_to(self, user):
        """Those who may see hidden rows (accounts.rules) also see deleted comments."""
        return self if rules.may_see_hidden(user) else self.visible()

    def display_order(self):
        """Oldest first: a comment answers the one above it."""
        return self.order_by("created_at", "id")


class Comment(models.Model):
    """A short remark under the question (`post` None) or under one answer: "which version
    are you on?", "same here", "that didn't work". Never an answer: it is not counted in
    `answer_count`, does not make a question "answered" and is not in the search index.
    It does count for the wait for staff (docs/forum.md, "Waiting for staff").

    `thread` is always set, also for a comment under an answer (it is that answer's
    thread), so one query reads every comment of a page. The text is inline Markdown only
    (forum.markdown.render_markdown(lite=True)), rendered once on write.
    """

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    body_md = models.TextField("text (inline Markdown)")
    body_html = models.TextField("text (sanitized HTML)")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="comment_thread_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_deleted=False) | Q(deleted_at__isnull=False), name="comment_deleted_has_time"
            ),
        ]

    def __str__(self) -> str:
        on = f"answer {self.post_id}" if self.post_id else f"thread {self.thread_id}"
        return f"Comment {self.pk} on {on}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#comment-{self.pk}"

    @property
    def on_question(self) -> bool:
        return self.post_id is None


class MeToo(models.Model):
    """ "I have this problem too": one per person per thread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="me_toos")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="me_toos")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="uniq_me_too")]

    def __str__(self) -> str:
        return f"{self.user_id} has thread {self.thread_id} too"


class HelpfulVote(models.Model):
    """One per person per answer, never on one's own (checked in the action)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_votes")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helpful_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="uniq_helpful_vote")]

    def __str__(self) -> str:
        return f"{self.user_id} found post {self.post_id} helpful"


class Follow(models.Model):
    """Who is emailed about a thread. The asker and me-too voters follow automatically."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="uniq_follow")]

    def __str__(self) -> str:
        return f"{self.user_id} follows thread {self.thread_id}"


class TopicFollow(models.Model):
    """A person follows a topic: a tag, a product area (category) or a saved search
    (keywords). New questions that match it are emailed to them, immediately or in the
    daily digest, as their email settings say (forum/topics.py; docs/forum.md,
    "Following a topic"). Exactly one of tag / category / query is set, as `kind` says;
    one row per person per topic; at most MAX_PER_PERSON per person (the action says)."""

    MAX_PER_PERSON = 50
    QUERY_MAX = 200

    class Kind(models.TextChoices):
        TAG = "tag", "Tag"
        AREA = "area", "Product area"
        SEARCH = "search", "Search"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_follows")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # A search as typed, whitespace collapsed and lowercased (forum.actions.normalize_query):
    # two people following "Sync  Windows" and "sync windows" share one match.
    query = models.CharField(max_length=QUERY_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], condition=Q(kind="tag"), name="uniq_topic_tag"),
            models.UniqueConstraint(
                fields=["user", "category"], condition=Q(kind="area"), name="uniq_topic_area"
            ),
            models.UniqueConstraint(
                fields=["user", "query"], condition=Q(kind="search"), name="uniq_topic_search"
            ),
            models.CheckConstraint(
                condition=Q(kind="tag", tag__isnull=False, category__isnull=True, query="")
                | Q(kind="area", tag__isnull=True, category__isnull=False, query="")
                | (Q(kind="search", tag__isnull=True, category__isnull=True) & ~Q(query="")),
                name="topic_follow_one_target",
            ),
        ]
        # The matching job reads the searches by text (tags and areas by their FK's index).
        indexes = [models.Index(fields=["query"], condition=Q(kind="search"), name="topic_search_query")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.kind} {self.label}"

    def get_absolute_url(self) -> str:
        """The page of what is followed: the tag's, the area's, the search's results."""
        if self.kind == self.Kind.TAG:
            return self.tag.get_absolute_url()
        if self.kind == self.Kind.AREA:
            return self.category.get_absolute_url()
        return f"{reverse('search:search')}?q={quote_plus(self.query)}"

    @property
    def label(self) -> str:
        """What is followed, in words: the tag's name, the area's name, the search's text.
        Loads the tag or category (select_related them for a list)."""
        if self.kind == self.Kind.TAG:
            return self.tag.name
        if self.kind == self.Kind.AREA:
            return self.category.name
        return self.query

    @property
    def target(self) -> str:
        """The value the follow form takes back: a tag's or area's slug, a search's text."""
        if self.kind == self.Kind.TAG:
            return self.tag.slug
        if self.kind == self.Kind.AREA:
            return self.category.slug
        return self.query


class Revision(models.Model):
    """The text a thread or answer had before one edit: who changed it and when.

    Exactly one of thread/post is set. For a thread, `title` holds the previous
    title; for a post it is empty.

    A moderator's "edit out personal data" (forum.actions.redact_thread/redact_post)
    replaces the title and text of every earlier revision by REDACTED_TEXT and stamps
    `redacted_at`/`redacted_by`: the history keeps that an edit and a redaction
    happened, by whom and when, but no longer the text. The redaction itself is a
    revision row too (its text is REDACTED_TEXT from the start).
    """

    REDACTED_TEXT = "[removed by a moderator]"

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    body_md = models.TextField()
    body_html = models.TextField()
    redacted_at = models.DateTimeField(null=True, blank=True)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-edited_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, post__isnull=True)
                | Q(thread__isnull=True, post__isnull=False),
                name="revision_of_one_thing",
            ),
        ]

    def __str__(self) -> str:
        target = f"thread {self.thread_id}" if self.thread_id else f"post {self.post_id}"
        return f"Revision of {target} at {self.edited_at:%Y-%m-%d %H:%M}"

    @property
    def is_redacted(self) -> bool:
        return self.redacted_at is not None
