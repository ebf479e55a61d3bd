"""Writes to threads: ask, edit, lock, delete, status."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.text import slugify

from accounts import rules
from accounts.models import TEAM_ROLES
from forum import hooks, indexing, listcounts, permissions, spam, topics
from forum.actions import auditing
from forum.errors import InvalidAction, NotAllowed
from forum.markdown import mask_personal_data, render_markdown
from forum.models import (
    BODY_MAX,
    MAX_TAGS,
    TITLE_MAX,
    Category,
    Comment,
    Follow,
    MeToo,
    Post,
    Revision,
    Thread,
)
from search import actions as search_actions

TITLE_MIN = 10
BODY_MIN = 10
TAG_MAX_LENGTH = 30


def normalize_tags(raw: str | Iterable[str]) -> list[str]:
    """ "Sync, iOS 17; Two Factor" -> ["sync", "ios-17", "two-factor"]: lowercase slugs,
    first occurrence kept, empty ones dropped. Does not enforce the count."""
    items = re.split(r"[,\n]+", raw) if isinstance(raw, str) else list(raw)
    seen: dict[str, None] = {}  # ordered and O(1) membership: 40,000 tags took 9 s with a list
    for item in items:
        slug = slugify(item.strip().lower())[:TAG_MAX_LENGTH].strip("-")
        if slug:
            seen[slug] = None
    return list(seen)


# Characters that change the direction of the text around them: in a title, U+202E
# ("right-to-left override") showed the rest of it reversed, on every list. Stripped
# from titles (display names refuse them: accounts/names.py; tags are ASCII slugs).
_DIRECTION_CONTROLS = dict.fromkeys(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)], None
)


def strip_direction_controls(text: str) -> str:
    return text.translate(_DIRECTION_CONTROLS)


def _check_text(title: str, body: str) -> tuple[str, str]:
    """Check the lengths and return the title and body with personal data masked."""
    title = " ".join(strip_direction_controls(title).split())
    body = body.strip()
    if len(title) < TITLE_MIN:
        raise InvalidAction(f"The title needs at least {TITLE_MIN} characters.")
    if len(title) > TITLE_MAX:
        raise InvalidAction(f"The title can have at most {TITLE_MAX} characters.")
    if len(body) < BODY_MIN:
        raise InvalidAction(f"Please describe the problem in at least {BODY_MIN} characters.")
    if len(body) > BODY_MAX:
        raise InvalidAction(f"The description can have at most {BODY_MAX} characters.")
    title, body = mask_personal_data(title), mask_personal_data(body)
    # A mask can be longer than what it hides ("[phone hidden]" for 555-123-4567); a
    # title that then overflowed the column was a 500 on PostgreSQL and lost the question.
    if len(title) > TITLE_MAX:
        raise InvalidAction(title_too_long_once_masked(title))
    return title, body


def title_too_long_once_masked(masked: str) -> str:
    return (
        f"With personal details hidden, your title would be {len(masked)} characters, more than "
        f"{TITLE_MAX}: take the email address, phone or order number out of the title (put it in a "
        "private note to staff if they need it) or shorten it."
    )


def _check_tags(tags: Iterable[str]) -> list[str]:
    names = normalize_tags(list(tags))
    if len(names) > MAX_TAGS:
        raise InvalidAction(f"Use at most {MAX_TAGS} tags.")
    return names


def refresh_status(thread_id: int) -> str:
    """Recompute the wait for staff (refresh_waiting) and the status from the rows, and
    store them if they changed. One definition (docs/forum.md, "Statuses"):

    - solved: `Thread.is_solved` (an accepted answer, staff's "Mark solved", the
      auto-solve job, or a fix on a linked question whose asker did not say "No");
    - waiting for staff: otherwise, when a wait is under way (`waiting_since`; the
      desk's queue and `Thread.waiting()` read the same field);
    - answered by staff: otherwise, when the question has a visible official answer or a
      visible answer by the team (the asker has not confirmed it);
    - open: otherwise (e.g. asked by the team, or the team asked for details in a
      comment and waits for the asker).

    Call inside the transaction that changed them. A changed status is also written to
    the search index (search results show it). Returns the status.
    """
    thread = Thread.objects.select_for_update().get(pk=thread_id)
    since = refresh_waiting(thread)
    if thread.is_solved:
        status = Thread.Status.SOLVED
    elif since is not None:
        status = Thread.Status.WAITING
    elif (
        Post.objects.visible()
        .filter(thread_id=thread_id)
        .filter(Q(is_official=True) | Q(author__role__in=TEAM_ROLES))
        .exists()
    ):
        status = Thread.Status.STAFF_ANSWERED
    else:
        status = Thread.Status.OPEN
    if status != thread.status:
        Thread.objects.filter(pk=thread_id).update(status=status)
        became_solved = status == Thread.Status.SOLVED
        thread.status = status
        indexing.index_thread(thread_id)
        if became_solved:
            hooks.thread_solved(thread_id)
    return status


def waiting_since_from_rows(thread: Thread):
    """When the current wait for staff began, from the rows (docs/forum.md).

    A visible, unlocked, unsolved question asked by a customer waits from the moment it
    is asked until someone of the team replies, and again from the first time its asker
    or a me-too voter writes after the team's last reply. A reply is an answer or a
    comment (on the question or on any answer), each counted only while visible: a
    staff comment ("which version are you on?") is the team's reply, and the asker's
    comment under it starts the wait again. The asker's "No, still broken" to a linked
    fix (linked_fix "rejected", at linked_fix_at) counts as the asker writing: a wait the
    rows already had goes on from where it began; otherwise one begins then. None: not
    waiting.
    """
    if thread.is_deleted or thread.is_locked or thread.is_solved:
        return None
    if thread.author.role in TEAM_ROLES:
        return None
    writings = (
        Post.objects.visible().filter(thread_id=thread.pk),
        Comment.objects.visible().filter(thread_id=thread.pk),
    )
    # Marking an answer official is the team's reply too, whoever wrote the answer: the
    # asker is asked "Did this fix it?" from then.
    official = Post.objects.visible().official().filter(thread_id=thread.pk).aggregate(at=Max("official_at"))
    last_team = _latest(
        [
            *(w.filter(author__role__in=TEAM_ROLES).aggregate(at=Max("created_at"))["at"] for w in writings),
            official["at"],
        ]
    )
    if last_team is None:
        return thread.created_at
    voters = MeToo.objects.filter(thread_id=thread.pk).values("user_id")
    customer = Q(author_id=thread.author_id) | Q(author_id__in=voters)
    since = _earliest(
        w.filter(customer, created_at__gt=last_team).aggregate(at=Min("created_at"))["at"] for w in writings
    )
    # The asker's "No" (to a fix on a linked question, or to "Did this fix it?") counts
    # as the asker writing, at the moment they said it.
    said_no = [thread.fix_declined_at]
    if thread.linked_fix == Thread.LinkedFix.REJECTED:
        said_no.append(thread.linked_fix_at)
    for moment in said_no:
        if moment is not None and moment > last_team and (since is None or moment < since):
            since = moment
    return since


def _latest(moments):
    return max((m for m in moments if m is not None), default=None)


def _earliest(moments):
    return min((m for m in moments if m is not None), default=None)


def refresh_waiting(thread: Thread | int):
    """Store `waiting_since` as the rows say it is. Precondition: inside the transaction
    that changed them, with the thread's row locked (refresh_status does both). The
    status depends on it: call refresh_status, which calls this, not this alone."""
    if not isinstance(thread, Thread):
        thread = Thread.objects.select_for_update().get(pk=thread)
    since = waiting_since_from_rows(thread)
    if since != thread.waiting_since:
        Thread.objects.filter(pk=thread.pk).update(waiting_since=since)
        thread.waiting_since = since
    return since


def people_from_rows(thread_id: int) -> int:
    """The people affected, each once: the asker, the me-too voters and the followers
    outside the team (staff follow what they answer; that does not make them affected)."""
    asker = Thread.objects.filter(pk=thread_id).order_by().values("author_id")
    voters = MeToo.objects.filter(thread_id=thread_id).order_by().values("user_id")
    followers = (
        Follow.objects.filter(thread_id=thread_id)
        .exclude(user__role__in=TEAM_ROLES)
        .order_by()
        .values("user_id")
    )
    return asker.union(voters, followers).count()  # UNION drops repeats: one query


def refresh_people(thread_id: int) -> int:
    """Store `people_count` and tell the apps above (a cluster's count includes it).
    Precondition: inside the transaction that changed votes or follows."""
    count = people_from_rows(thread_id)
    Thread.objects.filter(pk=thread_id).exclude(people_count=count).update(people_count=count)
    hooks.people_changed([thread_id])
    return count


def create_thread(
    author,
    title: str,
    body: str,
    category: Category,
    tags: Iterable[str] = (),
    *,
    created_at=None,
    ask_attempt: str | None = None,
) -> Thread:
    """Ask a question. Precondition: none; refuses an author who may not post
    (signed out, inactive, unverified email) and bad text. The asker follows it.
    `ask_attempt` is the search app's token from the ask page: the question was
    posted despite the suggestions it was shown."""
    if not rules.may_post(author):
        raise NotAllowed(rules.posting_refusal(author, "ask a question"))
    title, body = _check_text(title, body)
    names = _check_tags(tags)
    body_html = render_markdown(body)
    spam.check("thread", author, body, body_html)
    now = created_at or timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            title=title,
            slug=Thread.make_slug(title),
            body_md=body,
            body_html=body_html,
            author=author,
            category=category,
            created_at=now,
            last_activity_at=now,
            follower_count=1,
            # Asked by a customer: waiting for staff from now (waiting_since_from_rows).
            waiting_since=None if rules.is_team(author) else now,
            status=Thread.Status.OPEN if rules.is_team(author) else Thread.Status.WAITING,
        )
        if names:
            thread.tags.set(names)
        Follow.objects.create(user=author, thread=thread, created_at=now)
        indexing.index_thread(thread.pk)
        listcounts.changed()
        hooks.thread_written(thread, names, category.slug)
        topics.record_new_thread(thread)
        if ask_attempt:
            search_actions.record_posted(ask_attempt, author)
    return thread


def edit_thread(
    thread: Thread,
    editor,
    title: str,
    body: str,
    category: Category | None = None,
    tags: Iterable[str] | None = None,
) -> Thread:
    """Change a question's text (and optionally category/tags), keeping the previous
    title and body as a Revision."""
    title, body = _check_text(title, body)
    names = _check_tags(tags) if tags is not None else None
    with transaction.atomic():
        # Checked on the locked, current row: a lock that landed a moment ago counts.
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        if not permissions.can_edit_thread(editor, current):
            raise NotAllowed("You can't edit this question.")
        changed = title != current.title or body != current.body_md
        if changed:
            Revision.objects.create(
                thread=current,
                editor=editor,
                title=current.title,
                body_md=current.body_md,
                body_html=current.body_html,
            )
            current.title = title
            current.slug = Thread.make_slug(title)
            current.body_md = body
            current.body_html = render_markdown(body)
            spam.check("thread", editor, body, current.body_html, new_text=False)
            current.edited_at = timezone.now()
        fields = ["title", "slug", "body_md", "body_html", "edited_at"] if changed else []
        if category is not None and category.pk != current.category_id:
            current.category = category
            fields.append("category")
        if fields:
            current.save(update_fields=fields)
        tags_changed = False
        if names is not None:
            tags_changed = set(names) != set(current.tags.names())
            if tags_changed:
                current.tags.set(names)
        indexing.index_thread(current.pk)
        if "category" in fields or tags_changed:
            listcounts.changed()
        if fields or tags_changed:
            # What readers of the text (e.g. the duplicate linker) read changed.
            hooks.thread_written(
                current, names if names is not None else current.tags.names(), current.category.slug
            )
    return current


def lock_thread(thread: Thread, by, *, reason: str = "") -> bool:
    """Stop new answers. Returns False if it was already locked."""
    if not rules.may_lock(by):
        raise NotAllowed("Only staff and moderators can lock a thread.")
    with transaction.atomic():
        done = Thread.objects.filter(pk=thread.pk, is_locked=False).update(
            is_locked=True, locked_at=timezone.now(), locked_by=by
        )
        if done:
            refresh_status(thread.pk)
            auditing.thread_entry(by, auditing.THREAD_LOCK, thread, reason)
    return bool(done)


def unlock_thread(thread: Thread, by, *, reason: str = "") -> bool:
    if not rules.may_lock(by):
        raise NotAllowed("Only staff and moderators can unlock a thread.")
    with transaction.atomic():
        done = Thread.objects.filter(pk=thread.pk, is_locked=True).update(
            is_locked=False, locked_at=None, locked_by=None
        )
        if done:
            refresh_status(thread.pk)
            auditing.thread_entry(by, auditing.THREAD_UNLOCK, thread, reason)
    return bool(done)


def delete_thread(thread: Thread, by, *, reason: str = "", automatic: bool = False) -> bool:
    """Soft-delete: hidden from everyone but staff and moderators, restorable.
    `automatic`: the site hides it itself (enough trusted people reported it, see
    moderation): `by` is None and no role is asked; the audit log names no actor."""
    if not automatic and not rules.may_delete(by):
        raise NotAllowed("Only moderators can delete a thread.")
    with transaction.atomic():
        done = Thread.objects.filter(pk=thread.pk, is_deleted=False).update(
            is_deleted=True, deleted_at=timezone.now(), deleted_by=None if automatic else by
        )
        if done:
            refresh_status(thread.pk)
            indexing.index_thread(thread.pk)
            listcounts.changed()
            hooks.people_changed([thread.pk])  # a cluster counts its visible threads' people
            extra = {"automatic": True} if automatic else {}
            auditing.thread_entry(None if automatic else by, auditing.THREAD_DELETE, thread, reason, **extra)
    return bool(done)


def restore_thread(thread: Thread, by, *, reason: str = "") -> bool:
    if not rules.may_delete(by):
        raise NotAllowed("Only moderators can restore a thread.")
    if refusal := hooks.restore_refusal(thread):  # e.g. a merged stub (duplicates)
        raise InvalidAction(refusal)
    with transaction.atomic():
        done = Thread.objects.filter(pk=thread.pk, is_deleted=True).update(
            is_deleted=False, deleted_at=None, deleted_by=None
        )
        if done:
            refresh_status(thread.pk)
            indexing.index_thread(thread.pk)
            listcounts.changed()
            hooks.people_changed([thread.pk])
            auditing.thread_entry(by, auditing.THREAD_RESTORE, thread, reason)
    return bool(done)


def mark_solved_through_link(
    thread_ids: Iterable[int], *, key: str, url: str, title: str, published_at
) -> list[int]:
    """These questions are solved through a fix published on a linked question: status
    solved, the wait for staff over, the asker asked "Did this fix it for you too?".

    Called by the app that links questions (duplicates) for the other threads of a
    cluster, when a fix lands there or threads join it. `key` names the fix (opaque to
    the forum: the same key is the same fix), `url` and `title` say where it is,
    `published_at` when it was published. Precondition: inside that app's transaction.

    Marks only visible questions that are not solved already (on their own, or through
    another linked fix). A question whose asker said "No, still broken" is marked again
    only by another fix published after they said so: not by the same fix, nor by one
    they could already see. Returns the ids it marked.
    """
    now = timezone.now()
    marked = []
    with transaction.atomic():
        candidates = (
            Thread.objects.select_for_update()
            .filter(pk__in=list(thread_ids), is_deleted=False)
            .exclude(status=Thread.Status.SOLVED)
            .order_by("pk")  # one lock order for every writer
        )
        for thread in candidates:
            if thread.linked_fix == Thread.LinkedFix.REJECTED and (
                thread.linked_fix_key == key or thread.linked_fix_at >= published_at
            ):
                continue
            Thread.objects.filter(pk=thread.pk).update(
                linked_fix=Thread.LinkedFix.PENDING,
                linked_fix_key=key[:80],
                linked_fix_url=url[:500],
                linked_fix_title=title[:300],
                linked_fix_at=now,
            )
            refresh_status(thread.pk)
            indexing.index_thread(thread.pk)
            marked.append(thread.pk)
    return marked


def withdraw_solved_through_link(thread_ids: Iterable[int]) -> list[int]:
    """The fix these questions were solved through no longer applies to them (e.g. staff
    undid the link that joined them): those still waiting for their asker's answer
    ("pending") go back to open/answered, at the wait the rows give them. A question
    whose asker said it fixed theirs stays solved: they said so. Precondition: inside
    the caller's transaction. Returns the ids it changed."""
    withdrawn = []
    cleared = {
        "linked_fix": Thread.LinkedFix.NONE,
        "linked_fix_key": "",
        "linked_fix_url": "",
        "linked_fix_title": "",
    }
    with transaction.atomic():
        for pk in (
            Thread.objects.select_for_update()
            .filter(pk__in=list(thread_ids), linked_fix=Thread.LinkedFix.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        ):
            Thread.objects.filter(pk=pk).update(**cleared, linked_fix_at=timezone.now())
            refresh_status(pk)
            indexing.index_thread(pk)
            withdrawn.append(pk)
    return withdrawn


def answer_linked_fix(user, thread: Thread, *, fixed: bool) -> bool:
    """The asker's answer to "Did this fix it for you too?" on a question solved through
    a linked question. Yes: confirmed, it stays solved. No, still broken: it is no
    longer solved and waits for staff again at its original wait (waiting_since_from_rows).
    Only the asker answers; they may change their answer. Returns False when the
    answer is the one already given (nothing changes)."""
    with transaction.atomic():
        current = Thread.objects.select_for_update().get(pk=thread.pk)
        if not permissions.can_answer_linked_fix(user, current):
            if getattr(user, "pk", None) == current.author_id:  # the asker, suspended or unverified
                raise NotAllowed(rules.posting_refusal(user, "say whether the fix worked"))
            raise NotAllowed(
                "Only the person who asked this question can say whether the linked fix worked for them."
            )
        if current.is_deleted:
            raise InvalidAction("This question was deleted.")
        if current.linked_fix == Thread.LinkedFix.NONE:
            raise InvalidAction("This question is not solved through a linked question.")
        answer = Thread.LinkedFix.CONFIRMED if fixed else Thread.LinkedFix.REJECTED
        done = (
            Thread.objects.filter(pk=current.pk)
            .exclude(linked_fix=answer)
            .update(linked_fix=answer, linked_fix_at=timezone.now())
        )
        if done:
            refresh_status(current.pk)
            indexing.index_thread(current.pk)
    return bool(done)


def record_view(thread_id: int) -> None:
    """Count a view: batched through Redis when it is the cache (forum/views_counter.py)."""
    from forum import views_counter

    views_counter.record(thread_id)
