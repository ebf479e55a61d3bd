"""What can be reported: each kind of post says how to load it, who may see it, and how
to hide, restore and redact it — always through the owning app's actions.

Kinds: "thread" (a question), "answer" and "comment". Another kind plugs in by adding
a `Kind` to KINDS (its loader, access helper and actions); reports, the queue, the case
page and the emails then work for it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum import access
from forum import actions as forum_actions
from forum.markdown import plain_text
from forum.models import Comment, Post, Thread


@dataclass
class Target:
    """One reportable post, in the words the moderation pages and emails use."""

    kind: str
    obj: object
    thread: Thread
    author: object
    title: str  # the question's title (an answer or a comment is shown under its question)
    body_html: str
    url: str
    is_hidden: bool
    hidden_automatically: bool

    @property
    def object_id(self) -> int:
        return self.obj.pk

    @property
    def noun(self) -> str:
        return KINDS[self.kind].noun

    @property
    def excerpt(self) -> str:
        return plain_text(self.body_html, 280)


class Kind:
    name = ""
    noun = ""  # "question", "answer", "comment"
    has_title = False

    def load(self, ids) -> dict[int, Target]:
        """Many at once (the queue): one query."""
        raise NotImplementedError

    def visible(self, user, object_id: int) -> Target:
        """One the user may see (404 otherwise, by the owning app's access helper)."""
        raise NotImplementedError

    def hide(self, target: Target, by, reason: str, *, automatic: bool = False) -> bool:
        raise NotImplementedError

    def restore(self, target: Target, by, reason: str) -> bool:
        raise NotImplementedError

    def redact(self, target: Target, by, reason: str, body: str, title: str | None = None):
        raise NotImplementedError


class ThreadKind(Kind):
    name, noun, has_title = "thread", "question", True

    @staticmethod
    def target(thread: Thread) -> Target:
        return Target(
            kind="thread", obj=thread, thread=thread, author=thread.author, title=thread.title,
            body_html=thread.body_html, url=thread.get_absolute_url(), is_hidden=thread.is_deleted,
            hidden_automatically=thread.is_deleted and thread.deleted_by_id is None,
        )  # fmt: skip

    def load(self, ids) -> dict[int, Target]:
        return {t.pk: self.target(t) for t in Thread.objects.filter(pk__in=ids).select_related("author")}

    def visible(self, user, object_id: int) -> Target:
        return self.target(access.access_thread(user, object_id))

    def hide(self, target, by, reason, *, automatic=False) -> bool:
        return forum_actions.delete_thread(target.obj, by, reason=reason, automatic=automatic)

    def restore(self, target, by, reason) -> bool:
        return forum_actions.restore_thread(target.obj, by, reason=reason)

    def redact(self, target, by, reason, body, title=None):
        return forum_actions.redact_thread(target.obj, by, title or target.title, body, reason)


class AnswerKind(Kind):
    name, noun = "answer", "answer"

    @staticmethod
    def target(post: Post) -> Target:
        thread = post.thread
        return Target(
            kind="answer", obj=post, thread=thread, author=post.author, title=thread.title,
            body_html=post.body_html, url=f"{thread.get_absolute_url()}#post-{post.pk}",
            is_hidden=post.is_deleted or thread.is_deleted,
            hidden_automatically=post.is_deleted and post.deleted_by_id is None,
        )  # fmt: skip

    def load(self, ids) -> dict[int, Target]:
        posts = Post.objects.filter(pk__in=ids).select_related("author", "thread")
        return {p.pk: self.target(p) for p in posts}

    def visible(self, user, object_id: int) -> Target:
        return self.target(access.access_post(user, object_id))

    def hide(self, target, by, reason, *, automatic=False) -> bool:
        return forum_actions.delete_post(target.obj, by, reason=reason, automatic=automatic)

    def restore(self, target, by, reason) -> bool:
        return forum_actions.restore_post(target.obj, by, reason=reason)

    def redact(self, target, by, reason, body, title=None):
        return forum_actions.redact_post(target.obj, by, body, reason)


class CommentKind(Kind):
    name, noun = "comment", "comment"

    @staticmethod
    def target(comment: Comment) -> Target:
        thread = comment.thread
        return Target(
            kind="comment", obj=comment, thread=thread, author=comment.author, title=thread.title,
            body_html=comment.body_html, url=f"{thread.get_absolute_url()}#comment-{comment.pk}",
            is_hidden=comment.is_deleted or thread.is_deleted or bool(comment.post_id and comment.post.is_deleted),
            hidden_automatically=comment.is_deleted and comment.deleted_by_id is None,
        )  # fmt: skip

    def load(self, ids) -> dict[int, Target]:
        comments = Comment.objects.filter(pk__in=ids).select_related("author", "thread", "post")
        return {c.pk: self.target(c) for c in comments}

    def visible(self, user, object_id: int) -> Target:
        return self.target(access.access_comment(user, object_id))

    def hide(self, target, by, reason, *, automatic=False) -> bool:
        return forum_actions.delete_comment(target.obj, by, reason=reason, automatic=automatic)

    def restore(self, target, by, reason) -> bool:
        return forum_actions.restore_comment(target.obj, by, reason=reason)

    def redact(self, target, by, reason, body, title=None):
        return forum_actions.redact_comment(target.obj, by, body, reason)


KINDS: dict[str, Kind] = {kind.name: kind for kind in (ThreadKind(), AnswerKind(), CommentKind())}


def kind_of(name: str) -> Kind | None:
    return KINDS.get(name)


def load_targets(pairs) -> dict[tuple[str, int], Target]:
    """(kind, id) pairs -> targets, one query per kind present."""
    ids: dict[str, set[int]] = {}
    for kind, object_id in pairs:
        ids.setdefault(kind, set()).add(object_id)
    found = {}
    for kind, wanted in ids.items():
        if kind in KINDS:
            for object_id, target in KINDS[kind].load(wanted).items():
                found[(kind, object_id)] = target
    return found
