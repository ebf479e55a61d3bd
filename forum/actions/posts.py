"""Writes to answers: answer, edit, delete, official answers, accepted solutions."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import rules
from forum import hooks, indexing, permissions, spam
from forum.actions import auditing
from forum.actions.threads import refresh_status
from forum.actions.votes import follow
from forum.errors import InvalidAction, NotAllowed
from forum.markdown import mask_personal_data, render_markdown
from forum.models import BODY_MAX, Post, Revision, Thread
from forum.notifications import NOTIFY_JOB
from jobs import outbox

ANSWER_MIN = 2


def _check_body(body: str) -> str:
    body = body.strip()
    if len(body) < ANSWER_MIN:
        raise InvalidAction("Please write an answer first.")
    if len(body) > BODY_MAX:
        raise InvalidAction(f"An answer can have at most {BODY_MAX} characters.")
    return body


def notify_later(event: str, post: Post, actor, *, told_elsewhere=()) -> None:
    """Queue one notification job per (event, post): emailed to followers after commit,
    except the people an app above tells itself (forum.hooks.register_post_written)."""
    payload = {"event": event, "post_id": post.pk, "actor_id": actor.pk}
    if told_elsewhere:
        payload["skip"] = sorted(told_elsewhere)
    outbox.enqueue(NOTIFY_JOB, payload, dedupe_key=f"notify:{event}:{post.pk}")


def add_answer(thread: Thread, author, body: str, *, created_at=None) -> Post:
    """Answer a question. Refuses locked or deleted threads and people who may not post.
    Moves open -> answered, records the first staff response once, makes a member of the
    team follow the thread, tells the apps above (forum.hooks), notifies followers."""
    if not rules.may_post(author):
        raise NotAllowed(rules.posting_refusal(author, "answer"))
    body = mask_personal_data(_check_body(body))
    body_html = render_markdown(body)
    spam.check("answer", author, body, body_html)
    now = created_at or timezone.now()
    with transaction.atomic():
        # Lock the thread row so a concurrent lock or delete cannot slip in.
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        if current.is_deleted:
            raise InvalidAction("This question was deleted.")
        if current.is_locked:
            raise InvalidAction("This thread is locked: it takes no new answers.")
        post = Post.objects.create(
            thread=current, author=author, body_md=body, body_html=body_html, created_at=now
        )
        Thread.objects.filter(pk=current.pk).update(answer_count=F("answer_count") + 1, last_activity_at=now)
        if rules.is_team(author):
            # Recorded once: the conditional update leaves a later answer's time alone.
            Thread.objects.filter(pk=current.pk, first_staff_response_at__isnull=True).update(
                first_staff_response_at=now
            )
            # Staff follow what they answer, to hear the customer's reply; a team
            # follower is not counted among the people affected (Thread.people_count).
            follow(author, current)
        refresh_status(current.pk)
        indexing.index_thread(current.pk)
        told_elsewhere = hooks.post_written(post, current)
        notify_later("answer", post, author, told_elsewhere=told_elsewhere)
    return post


def edit_post(post: Post, editor, body: str) -> Post:
    """Change an answer's text, keeping the previous text as a Revision."""
    body = mask_personal_data(_check_body(body))
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        current = Post.objects.select_for_update().get(pk=post.pk)
        if not permissions.can_edit_post(editor, current, thread):
            raise NotAllowed("You can't edit this answer.")
        if body == current.body_md:
            return current
        Revision.objects.create(
            post=current, editor=editor, body_md=current.body_md, body_html=current.body_html
        )
        current.body_md = body
        current.body_html = render_markdown(body)
        spam.check("answer", editor, body, current.body_html, new_text=False)
        current.edited_at = timezone.now()
        current.save(update_fields=["body_md", "body_html", "edited_at"])
        indexing.index_thread(current.thread_id)
    return current


def delete_post(post: Post, by, *, reason: str = "", automatic: bool = False) -> bool:
    """Soft-delete an answer (moderators). It stops counting, stops being the accepted
    solution, and the thread's status is recomputed. `automatic`: hidden by the site
    itself after reports (as delete_thread)."""
    if not automatic and not rules.may_delete(by):
        raise NotAllowed("Only moderators can delete an answer.")
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        done = Post.objects.filter(pk=post.pk, is_deleted=False).update(
            is_deleted=True, deleted_at=timezone.now(), deleted_by=None if automatic else by
        )
        if not done:
            return False
        Thread.objects.filter(pk=post.thread_id).update(answer_count=F("answer_count") - 1)
        Thread.objects.filter(pk=post.thread_id, accepted_post=post.pk).update(accepted_post=None)
        refresh_status(post.thread_id)
        indexing.index_thread(post.thread_id)
        extra = {"automatic": True} if automatic else {}
        auditing.post_entry(None if automatic else by, auditing.POST_DELETE, post, thread, reason, **extra)
    return True


def restore_post(post: Post, by, *, reason: str = "") -> bool:
    if not rules.may_delete(by):
        raise NotAllowed("Only moderators can restore an answer.")
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        done = Post.objects.filter(pk=post.pk, is_deleted=True).update(
            is_deleted=False, deleted_at=None, deleted_by=None
        )
        if not done:
            return False
        Thread.objects.filter(pk=post.thread_id).update(answer_count=F("answer_count") + 1)
        refresh_status(post.thread_id)
        indexing.index_thread(post.thread_id)
        auditing.post_entry(by, auditing.POST_RESTORE, post, thread, reason)
    return True


def mark_official(post: Post, by) -> bool:
    """Staff mark an answer as the company's official answer (any number per thread).
    It does not solve the question by itself: the question is "answered by staff" and
    its asker is asked "Did this fix it?" (`fix_asked_at`; docs/forum.md, "Statuses").
    Notifies followers. Returns False if it already was."""
    if not rules.may_mark_official(by):
        raise NotAllowed("Only staff can mark an answer official.")
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        now = timezone.now()
        done = Post.objects.filter(pk=post.pk, is_official=False, is_deleted=False).update(
            is_official=True, official_by=by, official_at=now
        )
        if not done:
            if Post.objects.filter(pk=post.pk, is_deleted=True).exists():
                raise InvalidAction("A deleted answer cannot be official.")
            return False
        Thread.objects.filter(pk=post.thread_id).update(last_activity_at=now, fix_asked_at=now)
        refresh_status(post.thread_id)
        indexing.index_thread(post.thread_id)
        notify_later("official", post, by)
        hooks.fix_published(thread, post, by, "official")
        auditing.post_entry(by, auditing.POST_OFFICIAL, post, thread)
    return True


def unmark_official(post: Post, by) -> bool:
    if not rules.may_mark_official(by):
        raise NotAllowed("Only staff can change official answers.")
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        done = Post.objects.filter(pk=post.pk, is_official=True).update(
            is_official=False, official_by=None, official_at=None
        )
        if done:
            refresh_status(post.thread_id)
            indexing.index_thread(post.thread_id)
            auditing.post_entry(by, auditing.POST_UNOFFICIAL, post, thread)
    return bool(done)


def accept_solution(thread: Thread, post: Post, by) -> bool:
    """The asker or staff accept the answer that solved it: one per thread, and choosing
    another replaces it. Returns False if this answer already was the accepted one."""
    if not permissions.can_accept(by, thread):
        raise NotAllowed("Only the person who asked, or staff, can accept a solution.")
    if post.thread_id != thread.pk:
        raise InvalidAction("That answer belongs to another question.")
    with transaction.atomic():
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        if current.is_deleted:
            raise InvalidAction("This question was deleted.")
        if Post.objects.filter(pk=post.pk, is_deleted=True).exists():
            raise InvalidAction("A deleted answer cannot be the solution.")
        if current.accepted_post_id == post.pk:
            return False
        now = timezone.now()
        Thread.objects.filter(pk=current.pk).update(accepted_post=post, last_activity_at=now)
        refresh_status(current.pk)
        indexing.index_thread(current.pk)
        notify_later("accepted", post, by)
        hooks.fix_published(current, post, by, "accepted")
        if by.pk != current.author_id:  # staff, for the asker: a team action to log
            auditing.post_entry(by, auditing.POST_ACCEPT, post, current)
    return True


def unaccept_solution(thread: Thread, by) -> bool:
    if not permissions.can_accept(by, thread):
        raise NotAllowed("Only the person who asked, or staff, can change the solution.")
    with transaction.atomic():
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        done = Thread.objects.filter(pk=thread.pk, accepted_post__isnull=False).update(accepted_post=None)
        if done:
            refresh_status(thread.pk)
            indexing.index_thread(thread.pk)
            if by.pk != current.author_id and current.accepted_post_id:
                post = Post(pk=current.accepted_post_id, thread=current)
                auditing.post_entry(by, auditing.POST_UNACCEPT, post, current)
    return bool(done)
