"""Reads behind the forum's pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from accounts import rules
from forum import permissions
from forum.models import Category, Comment, Follow, HelpfulVote, MeToo, Post, Tag, Thread

TABS = {
    "newest": "Newest",
    "unanswered": "Unanswered",
    "waiting": "Waiting for staff",
    "affected": "Most affected",
    "solved": "Solved",
}


def thread_list(tab: str, *, category: str | None = None, tag: str | None = None):
    threads = Thread.objects.visible().for_list()
    if category:
        threads = threads.in_category(category)
    if tag:
        threads = threads.tagged(tag)
    if tab == "unanswered":
        return threads.unanswered().order_by("-created_at", "-id")
    if tab == "waiting":  # longest wait first (docs/forum.md, "Waiting for staff")
        return threads.waiting().order_by("waiting_since", "id")
    if tab == "affected":
        return threads.by_affected()
    if tab == "solved":
        return threads.solved().order_by("-last_activity_at", "-id")
    return threads.order_by("-created_at", "-id")


def categories_with_counts():
    return Category.objects.annotate(
        open_count=Count("threads", filter=Q(threads__is_deleted=False)),
    ).order_by("position", "name")


def popular_tags(limit: int = 15):
    return (
        Tag.objects.annotate(
            uses=Count("tagged_threads", filter=Q(tagged_threads__content_object__is_deleted=False))
        )
        .filter(uses__gt=0)
        .order_by("-uses", "name")[:limit]
    )


def tag_suggestions(prefix: str, limit: int = 8) -> list[Tag]:
    prefix = slugify(prefix.strip().lower())
    if not prefix:
        return []
    return list(
        Tag.objects.filter(slug__startswith=prefix)
        .annotate(uses=Count("tagged_threads"))
        .order_by("-uses", "name")[:limit]
    )


# Comments shown under the question or an answer before "Show N more comments".
COMMENTS_SHOWN = 5


@dataclass
class Comments:
    """The comments under one thing (the question, or one answer), oldest first: the
    first COMMENTS_SHOWN in `shown`, the rest in `more` (behind a <details>)."""

    shown: list[Comment] = field(default_factory=list)
    more: list[Comment] = field(default_factory=list)
    form: object = None  # its "Add a comment" form (the view sets it)
    open: bool = False  # show that form open: it holds an error or a kept draft

    @property
    def total(self) -> int:
        return len(self.shown) + len(self.more)


def _split(comments: list[Comment]) -> Comments:
    return Comments(shown=comments[:COMMENTS_SHOWN], more=comments[COMMENTS_SHOWN:])


@dataclass
class ThreadPage:
    thread: Thread
    pinned: list[Post] = field(default_factory=list)
    others: list[Post] = field(default_factory=list)
    has_me_too: bool = False
    is_following: bool = False
    answer_total: int = 0
    question_comments: Comments = field(default_factory=Comments)
    comments: list[Comment] = field(default_factory=list)  # all on the page, question's first
    answers_page: Page | None = None  # which page of the other answers this is (issue 14, item 4)


# The other answers (not pinned) shown per page; the pinned ones are always on page 1.
ANSWERS_PER_PAGE = 30


def _page_number(number, answer_id, others: list[Post]) -> object:
    """The page asked for, or the one holding answer `answer_id` (?answer=<id>: a link to
    an answer on a later page)."""
    if answer_id is not None:
        for index, post in enumerate(others):
            if post.pk == answer_id:
                return index // ANSWERS_PER_PAGE + 1
        return 1
    return number


def thread_page(thread: Thread, user, number=1, answer_id: int | None = None) -> ThreadPage:
    """The thread's answers in display order, each with what this user may do with it.

    Pinned: official answers and the accepted solution, at the top of page 1. Then the
    rest by helpfulness, then age, ANSWERS_PER_PAGE a page (`number`, or the page holding
    `answer_id`). Staff and moderators also see deleted answers.
    """
    posts = list(Post.objects.visible_to(user).filter(thread=thread).select_related("author").display_order())
    voted: set[int] = set()
    page = ThreadPage(thread=thread)
    if user.is_authenticated:
        voted = set(
            HelpfulVote.objects.filter(user=user, post__thread=thread).values_list("post_id", flat=True)
        )
        page.has_me_too = MeToo.objects.filter(user=user, thread=thread).exists()
        page.is_following = Follow.objects.filter(user=user, thread=thread).exists()
    may_accept = permissions.can_accept(user, thread)
    may_official = rules.may_mark_official(user)
    may_delete = rules.may_delete(user)
    for post in posts:
        post.is_accepted = post.pk == thread.accepted_post_id
        post.user_voted = post.pk in voted
        post.can_vote = user.is_authenticated and post.author_id != user.pk and not post.is_deleted
        post.can_edit = permissions.can_edit_post(user, post, thread) if user.is_authenticated else False
        post.can_accept = may_accept and not post.is_deleted
        post.can_official = may_official and not post.is_deleted
        post.can_delete = may_delete
        (
            page.pinned if (post.is_official or post.is_accepted) and not post.is_deleted else page.others
        ).append(post)
    # The accepted solution leads the pinned answers, then official ones by time.
    page.pinned.sort(key=lambda p: (not p.is_accepted, p.official_at or p.created_at))
    page.answer_total = sum(1 for p in posts if not p.is_deleted)
    paginator = Paginator(page.others, ANSWERS_PER_PAGE, allow_empty_first_page=True)
    page.answers_page = paginator.get_page(_page_number(number, answer_id, page.others))
    page.others = list(page.answers_page.object_list)
    if page.answers_page.number > 1:
        page.pinned = []
    _attach_comments(page, thread, user, [*page.pinned, *page.others])
    return page


def _attach_comments(page: ThreadPage, thread: Thread, user, posts: list[Post]) -> None:
    """Every comment of the page in one query, oldest first, each with what this user may
    do with it: the question's on `page.question_comments`, an answer's on its
    `post.answer_comments`. Staff and moderators also see deleted ones (with a marker)."""
    comments = list(
        Comment.objects.visible_to(user).filter(thread=thread).select_related("author").display_order()
    )
    now = timezone.now()
    may_delete = rules.may_delete(user)
    by_post: dict[int | None, list[Comment]] = {}
    for comment in comments:
        comment.thread = thread  # for get_absolute_url, without a query
        comment.can_edit = user.is_authenticated and permissions.can_edit_comment(user, comment, thread, now)
        comment.can_delete = user.is_authenticated and permissions.can_delete_comment(user, comment)
        comment.can_restore = may_delete and comment.is_deleted
        comment.by_asker = comment.author_id == thread.author_id
        by_post.setdefault(comment.post_id, []).append(comment)
    page.question_comments = _split(by_post.get(None, []))
    for post in posts:
        post.answer_comments = _split(by_post.get(post.pk, []))
    shown = {None, *(p.pk for p in posts)}
    page.comments = [c for c in comments if c.post_id in shown]


def revisions_for_thread(thread: Thread):
    return thread.revisions.select_related("editor", "redacted_by")


def revisions_for_post(post: Post):
    return post.revisions.select_related("editor", "redacted_by")


# --- one person's activity: "My questions / answers / following" and the profile ---------

ACTIVITY_TABS = {"questions": "Questions", "answers": "Answers", "following": "Following"}
PUBLIC_ACTIVITY_TABS = ("questions", "answers")  # what someone follows is theirs alone


def questions_by(user):
    """Their questions anyone may see, newest first."""
    return Thread.objects.visible().for_list().filter(author=user).order_by("-created_at", "-id")


def answers_by(user):
    """Their answers anyone may see (not hidden, on a question that is not), newest first,
    with the question each is on."""
    return (
        Post.objects.visible()
        .filter(author=user, thread__is_deleted=False)
        .select_related("thread", "thread__category")
        .order_by("-created_at", "-id")
    )


def followed_by(user):
    """The questions they follow (their own included), latest activity first."""
    return Thread.objects.visible().for_list().filter(follows__user=user).order_by("-last_activity_at", "-id")
