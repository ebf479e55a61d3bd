"""The permission matrix (issue 11): every URL of ours that writes, sent by the anonymous
visitor, the owner, another customer, a moderator and staff; the change happens exactly
for those allowed, and a refused request writes nothing.

The URLs come from the URL conf: every named URL of our apps that is not known to be
read-only (tests/config/test_ratelimits.py's READ_ONLY, the same split that keeps
config.ratelimits.VIEW_KINDS complete) gets a test per actor here, and one with no entry
in CASES fails. A new URL that writes therefore needs a case (and a rate limit) before the
suite passes.

Each case says how to send the request, what to read before and after (`observe`) and
who may change it (`may`), with the reason. Each (case, actor) pair runs on the same small
world (tests/config/matrix_world.py: built once per run, every test's writes rolled back):
- allowed: the answer is a page or a redirect (not to sign-in) with no error message, and
  what the case observes changed;
- refused: the answer is a redirect to sign-in (signed out), 400, 403 or 404, or a
  redirect back with an error message (htmx: the inline error) - how the thread page's
  buttons and the knowledge base's staff buttons report an action that said no
  (forum.views.common.refused, messages.error); and no row of any table changed;
- either way, no other person's account row changed.
Views with an htmx branch run both ways. CSRF is checked once per URL, with an allowed actor.

"owner" is the person whose row the URL acts on: alice, who asked the question, for
questions, duplicate links, and for the articles (bob wrote them, from and about her
question: she must not be able to change them); dave for his answer (alice, the asker, is
then the other customer); for account pages the signed-in person themself, as nobody can
reach another's account there. "other_customer" is the other of alice and dave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core import signing
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.ratelimits import VIEW_KINDS
from duplicates.models import DuplicateLink, ThreadMerge
from forum import actions as forum
from forum.models import Comment, Follow, HelpfulVote, MeToo, Post, Tag, Thread, TopicFollow
from kb.models import Article, ArticleSource
from kb.models import HelpfulVote as ArticleVote
from search.models import AskAttempt
from tests.config import matrix_world
from tests.config.matrix_world import World
from tests.config.test_ratelimits import READ_ONLY, _our_url_names
from tests.conftest import PASSWORD, make_user

ACTORS = ("anonymous", "owner", "other_customer", "moderator", "staff")
NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {"anonymous"}
TEAM = frozenset({"moderator", "staff"})
STAFF = frozenset({"staff"})
MODERATOR = frozenset({"moderator"})
SIGN_IN = reverse("account_login")
ASK_TOKEN = "0123456789abcdef" * 2  # what the ask page puts in its suggestion requests


@dataclass(frozen=True)
class Case:
    """One way to send a URL. `path`, `data` and `observe` read the world (and `observe`
    the person acting, None when signed out)."""

    why: str
    path: Callable[[World], str]
    observe: Callable[[World, User | None], Any]
    may: frozenset[str]  # actors whose request changes what `observe` reads
    data: Callable[[World], dict] = lambda w: {}
    method: str = "post"
    variant: str = ""  # "" for the plain case; a word for the others
    owner: str = "alice"
    setup: Callable[[World], None] | None = None
    htmx: bool = False  # the view answers htmx differently: send it both ways
    read_only: frozenset[str] = NOBODY  # actors answered 200 with nothing written
    check: Callable[[World, User | None, Any], None] | None = None  # more to assert on the answer


def thread_state(w: World, _user=None):
    return Thread.objects.filter(pk=w.thread.pk).values_list(
        "title", "body_md", "is_locked", "is_deleted", "accepted_post_id", "answer_count"
    )[0]


def post_state(w: World, _user=None):
    return Post.objects.filter(pk=w.answer.pk).values_list("body_md", "is_deleted", "is_official")[0]


def comment_state(w: World, _user=None):
    return Comment.objects.filter(pk=w.comment.pk).values_list("body_md", "is_deleted")[0]


def comment_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.comment.pk])


def comment_written_an_hour_ago(w: World) -> None:
    """Past the author's edit window (forum.permissions.COMMENT_EDIT_WINDOW)."""
    Comment.objects.filter(pk=w.comment.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))


def article_state(article: Callable[[World], Article]):
    def read(w: World, _user=None):
        row = Article.objects.filter(pk=article(w).pk)
        fields = row.values_list("title", "body_md", "status", "current_revision_id")[0]
        return (*fields, ArticleSource.objects.filter(article=article(w)).count())

    return read


def own_account(_w: World, user: User | None):
    if user is None:
        return list(User.objects.order_by("pk").values_list("display_name", "is_active"))
    return User.objects.filter(pk=user.pk).values_list("display_name", "is_active")[0]


def own_email_preferences(_w: World, user: User | None):
    from accounts.models import EmailPreference

    rows = EmailPreference.objects.order_by("pk")
    if user is not None:
        rows = rows.filter(user=user)
    return list(rows.values_list("user_id", "kind", "choice"))


def alices_email_preferences(w: World, _user=None):
    from accounts.models import EmailPreference

    return list(EmailPreference.objects.filter(user=w.alice).values_list("kind", "choice"))


def stop_all_token(user_id: int) -> str:
    from accounts.notifications import stop_all_token as make

    return make(user_id)


def own_topic_follows(_w: World, user: User | None):
    rows = TopicFollow.objects.order_by("pk")
    if user is not None:
        rows = rows.filter(user=user)
    return list(rows.values_list("user_id", "kind", "tag_id"))


def everyone_follows_the_tag(w: World) -> None:
    tag = Tag.objects.get(slug="sync")
    TopicFollow.objects.bulk_create([TopicFollow(user=u, kind="tag", tag=tag) for u in w.cast])


def alices_topic(w: World) -> TopicFollow:
    return TopicFollow.objects.get(user=w.alice, kind="tag")


def topic_token(w: World) -> str:
    from forum.topics import unsubscribe_token

    return unsubscribe_token(alices_topic(w))


def count(model, **lookups):
    def read(w: World, _user=None):
        return model.objects.filter(**{k: v(w) for k, v in lookups.items()}).count()

    return read


def question_form(w: World, **overrides) -> dict:
    return {
        "title": "Notes stop syncing after the 4.2 update",
        "body": "Since 4.2 nothing syncs from my laptop or my phone.",
        "category": w.category.pk,
        "tags": "sync, windows",
        **overrides,
    }


def article_form(w: World, **overrides) -> dict:
    return {
        "title": "Notes stop syncing after the 4.2 update",
        "slug": w.article.slug,
        "summary": "Skip the stalled upload, then update.",
        "body": "## Skip the stalled upload\n\nChoose **Skip**, then update to 4.2.2.",
        "category": w.category.pk,
        "tags": "sync",
        "comment": "Newer version",
        **overrides,
    }


# Fields that try to point an account page at someone else's account: ignored.
SOMEONE_ELSE = {"user": "{alice}", "user_id": "{alice}", "email": "alice@example.com"}


def aimed_at_alice(w: World, data: dict) -> dict:
    return {**{k: v.format(alice=w.alice.pk) for k, v in SOMEONE_ELSE.items()}, **data}


def thread_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.thread.pk])


def answer_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.answer.pk])


def fixed_on_the_linked_question(w: World) -> None:
    """bob's official answer on erin's question solves alice's linked `duplicate` through it."""
    forum.mark_official(
        forum.add_answer(w.other_thread, w.bob, "Update to 4.2.1, then sign in again."), w.bob
    )


def linked_fix_state(w: World, _user=None):
    return Thread.objects.filter(pk=w.duplicate.pk).values_list("linked_fix", "status", "waiting_since")[0]


def official_on_alices_question(w: World) -> None:
    """dave's answer to alice's question, marked official by bob: she is asked "Did this fix it?"."""
    forum.mark_official(w.answer, w.bob)


def solved_state(w: World, _user=None):
    return Thread.objects.filter(pk=w.thread.pk).values_list(
        "status", "accepted_post_id", "marked_solved", "fix_declined_at", "waiting_since"
    )[0]


def lock(w: World) -> None:
    forum.lock_thread(w.thread, w.carol)


def another_of_each_team_role(_w: World) -> None:
    make_user("bea@example.com", "Bea", User.Role.STAFF)
    make_user("mo@example.com", "Mo", User.Role.MODERATOR)


def the_download_is_theirs(w: World, user: User | None, response) -> None:
    text = response.content.decode()
    assert user.email in text
    for other in w.cast:
        if other != user:
            assert other.email not in text


# --- moderation ---------------------------------------------------------------------------


def moderation_url(name: str, kind: str, target: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[kind, target(w).pk])


def reported_by_dave(w: World) -> None:
    from moderation import actions as moderation
    from moderation.targets import kind_of

    moderation.report(w.dave, kind_of("thread").visible(w.dave, w.thread.pk), "spam", "")


def a_member_to_moderate(w: World) -> None:
    """Someone outside the cast, so that 'nobody else's account changed' still holds."""
    w.mallory = make_user("mallory@example.com", "Mallory")


def case_state(w: World, _user=None):
    from moderation.models import Case as ModerationCase

    return list(ModerationCase.objects.order_by("pk").values_list("decision", "reviewed_at", "open_reports"))


def mallory_state(w: World, _user=None):
    return User.objects.filter(pk=w.mallory.pk).values_list("suspended_until", "is_active")[0]


MODERATOR_ONLY_WHY = (
    "Only moderators work the report queue (accounts.rules.may_moderate); staff answer, they do not police."
)


# --- the desk (staff only: 404 for everyone else) --------------------------------------------


def taken_by_bob(w: World) -> None:
    from desk import actions as desk

    desk.take(w.bob, w.thread)


def taken_by_bob_with_a_colleague(w: World) -> None:
    taken_by_bob(w)
    w.mia = make_user("mia@example.com", "Mia Laurent", User.Role.STAFF)


def a_fresh_waiting_question(w: World) -> None:
    forum.create_thread(
        w.erin, "Export to PDF loses the images", "Every image is blank in the PDF.", w.category
    )


def claims(w: World, _user=None):
    from desk.models import Claim

    return list(Claim.objects.order_by("thread_id").values_list("thread_id", "holder_id"))


def duty_state(w: World, _user=None):
    from desk.models import StaffProfile

    return list(StaffProfile.objects.order_by("user_id").values_list("user_id", "on_duty"))


def desk_settings(w: World, _user=None):
    from desk.models import StaffProfile

    return list(
        StaffProfile.objects.order_by("user_id").values_list(
            "user_id", "notify_new_threads", "notify_reminders", "notify_replies"
        )
    )


def bobs_reply_emails(w: World, _user=None):
    from desk.models import StaffProfile

    return StaffProfile.objects.filter(user=w.bob).values_list("notify_replies", flat=True).first()


def desk_unsubscribe_url(w: World) -> str:
    from desk.notifications import unsubscribe_token

    return reverse("desk:unsubscribe", args=[unsubscribe_token(w.bob.pk, "reply")])


STAFF_ONLY_WHY = "The desk is the staff's (accounts.rules: the staff role); everyone else gets 404."


def a_saved_reply_of_bob(w: World) -> None:
    from desk import actions as desk

    w.reply = desk.create_reply(w.bob, "Sync stalls", "Hi {asker}, choose Skip in Settings → Sync.")


def saved_reply_titles(w: World, _user=None):
    from desk.models import SavedReply

    return list(SavedReply.objects.order_by("pk").values_list("title", "body_md", "shared"))


def a_repeat_group(w: World) -> None:
    """Bob's answer on alice's question as a group of repeated answers (desk/firefight.py);
    written here as the job would store it."""
    from desk.models import RepeatGroup, RepeatReply

    post = w.staff_answer
    w.repeat = RepeatGroup.objects.create(
        best_post=post, title=w.thread.title, excerpt="Skip the stalled upload.", thread_count=3,
        first_at=post.created_at, last_at=post.created_at,
    )  # fmt: skip
    RepeatReply.objects.create(
        group=w.repeat, post=post, thread=w.thread, author=w.bob, created_at=post.created_at, similarity=1.0
    )


def repeat_state(w: World, _user=None):
    from desk.models import RepeatGroup

    return RepeatGroup.objects.filter(pk=w.repeat.pk).values_list("dismissed_by_id", "article_id")[0]


CASES: dict[str, list[Case]] = {
    # --- the forum: asking and answering ------------------------------------------------
    "forum:ask": [
        Case(
            "Any signed-in person may ask; a visitor is sent to sign in (the text kept).",
            path=lambda w: reverse("forum:ask"),
            data=lambda w: question_form(w, title="Printing cuts off the last page", website=""),
            observe=count(Thread),
            may=SIGNED_IN,
        )
    ],
    "forum:answer": [
        Case(
            "Any signed-in person may answer an open question.",
            path=thread_url("forum:answer"),
            data=lambda w: {"body": "Turning sync off and on again fixed it here."},
            observe=count(Post, thread=lambda w: w.thread),
            may=SIGNED_IN,
        ),
        Case(
            "Nobody answers a locked thread, the team included (they unlock it first).",
            variant="locked",
            setup=lock,
            path=thread_url("forum:answer"),
            data=lambda w: {"body": "Turning sync off and on again fixed it here."},
            observe=count(Post, thread=lambda w: w.thread),
            may=NOBODY,
        ),
    ],
    "forum:comment": [
        Case(
            "As for answering: anyone signed in comments under an open question (the asker "
            "replying to staff, staff asking for details); a visitor is sent to sign in (the "
            "text kept).",
            path=thread_url("forum:comment"),
            data=lambda w: {"comment": "Does it happen on the phone too?"},
            observe=count(Comment, thread=lambda w: w.thread),
            may=SIGNED_IN,
        ),
        Case(
            "The same under an answer.",
            variant="on an answer",
            owner="dave",
            path=thread_url("forum:comment"),
            data=lambda w: {"comment": "That did not work for me.", "post": str(w.answer.pk)},
            observe=count(Comment, post=lambda w: w.answer),
            may=SIGNED_IN,
        ),
        Case(
            "Nobody comments on a locked thread, the team included (they unlock it first).",
            variant="locked",
            setup=lock,
            path=thread_url("forum:comment"),
            data=lambda w: {"comment": "Does it happen on the phone too?"},
            observe=count(Comment, thread=lambda w: w.thread),
            may=NOBODY,
        ),
    ],
    "forum:edit_comment": [
        Case(
            "Its author edits a comment for a few minutes after writing it; the team edits any "
            "(rules.may_edit_any_text: e.g. to take personal data out).",
            path=comment_url("forum:edit_comment"),
            data=lambda w: {"comment": "4.2.1 on Windows 11, and the phone has 4.1.3."},
            observe=comment_state,
            may=frozenset({"owner"}) | TEAM,
        ),
        Case(
            "Past the window its author no longer edits it (a reply may answer what it said); "
            "the team still does.",
            variant="late",
            setup=comment_written_an_hour_ago,
            path=comment_url("forum:edit_comment"),
            data=lambda w: {"comment": "4.2.1 on Windows 11, and the phone has 4.1.3."},
            observe=comment_state,
            may=TEAM,
        ),
    ],
    "forum:delete_comment": [
        Case(
            "Its author takes a comment back; moderators delete any (rules.may_delete). Staff "
            "do not delete, as with answers.",
            path=comment_url("forum:delete_comment"),
            observe=comment_state,
            may=frozenset({"owner"}) | MODERATOR,
        ),
        Case(
            "Only moderators restore a deleted comment; its author no longer sees it (404).",
            variant="restore",
            setup=lambda w: forum.delete_comment(w.comment, w.carol),
            path=comment_url("forum:delete_comment"),
            data=lambda w: {"restore": "1"},
            observe=comment_state,
            may=MODERATOR,
        ),
    ],
    "forum:edit_thread": [
        Case(
            "The asker edits their question; staff and moderators edit anyone's text "
            "(rules.may_edit_any_text: e.g. to take personal data out).",
            path=thread_url("forum:edit_thread"),
            data=question_form,
            observe=thread_state,
            may=frozenset({"owner"}) | TEAM,
        ),
        Case(
            "A locked question is closed to its asker's edits; the team still edits it.",
            variant="locked",
            setup=lock,
            path=thread_url("forum:edit_thread"),
            data=question_form,
            observe=thread_state,
            may=TEAM,
        ),
    ],
    "forum:edit_post": [
        Case(
            "The author edits their answer (not the asker of the question); the team edits any.",
            owner="dave",
            path=answer_url("forum:edit_post"),
            data=lambda w: {"body": "Sign out and in again; on 4.2 that fixed it for me."},
            observe=post_state,
            may=frozenset({"owner"}) | TEAM,
        ),
        Case(
            "On a locked thread only the team edits answers.",
            variant="locked",
            owner="dave",
            setup=lock,
            path=answer_url("forum:edit_post"),
            data=lambda w: {"body": "Sign out and in again; on 4.2 that fixed it for me."},
            observe=post_state,
            may=TEAM,
        ),
    ],
    "forum:preview": [
        Case(
            "Anyone may preview Markdown (the ask form is public); nothing is stored.",
            path=lambda w: reverse("forum:preview"),
            data=lambda w: {"body": "**Sync** stops after the update"},
            observe=lambda w, u: None,
            may=NOBODY,
            read_only=EVERYONE,
        )
    ],
    "forum:tag_suggest": [
        Case(
            "Anyone may get tag suggestions while typing (GET); nothing is stored.",
            method="get",
            path=lambda w: reverse("forum:tag_suggest"),
            data=lambda w: {"tags": "windows, sy"},
            observe=lambda w, u: None,
            may=NOBODY,
            read_only=EVERYONE,
        )
    ],
    "search:suggest": [
        Case(
            "Anyone may get suggestions on the ask page (GET); without an ask-attempt token "
            "nothing is stored.",
            method="get",
            path=lambda w: reverse("search:suggest"),
            data=lambda w: {"title": "notes stop syncing", "body": ""},
            observe=lambda w, u: None,
            may=NOBODY,
            read_only=EVERYONE,
        ),
        Case(
            "With the ask page's token, the suggestions shown are recorded for anyone, signed "
            "out too: the deflection figures count every visitor (search.actions.record_shown).",
            variant="ask attempt",
            method="get",
            path=lambda w: reverse("search:suggest"),
            data=lambda w: {"title": "notes stop syncing", "body": "", "attempt": ASK_TOKEN},
            observe=count(AskAttempt, token=lambda w: ASK_TOKEN),
            may=EVERYONE,
        ),
    ],
    # --- the forum: buttons on the thread page ------------------------------------------
    "forum:me_too": [
        Case(
            "Anyone signed in says they have the problem too, except the asker, who is "
            "already counted (InvalidAction, shown as an error).",
            path=thread_url("forum:me_too"),
            observe=count(MeToo, thread=lambda w: w.thread),
            may=SIGNED_IN - {"owner"},
            htmx=True,
        )
    ],
    "forum:follow": [
        Case(
            "Anyone signed in follows a question they can see (the asker too, once she "
            "stopped following it; and bob, who follows what he answered, once he stopped).",
            setup=lambda w: (forum.unfollow(w.alice, w.thread), forum.unfollow(w.bob, w.thread)),
            path=thread_url("forum:follow"),
            observe=count(Follow, thread=lambda w: w.thread),
            may=SIGNED_IN,
            htmx=True,
        )
    ],
    "forum:helpful": [
        Case(
            "Anyone signed in votes an answer helpful, except its author.",
            owner="dave",
            path=answer_url("forum:helpful"),
            observe=count(HelpfulVote, post=lambda w: w.answer),
            may=SIGNED_IN - {"owner"},
            htmx=True,
        )
    ],
    "forum:accept": [
        Case(
            "The asker accepts the solution; staff too (rules.may_accept_any). Not the "
            "answer's author, not a moderator (moderators keep the place clean, they do "
            "not speak for the company).",
            path=thread_url("forum:accept"),
            data=lambda w: {"post": w.answer.pk},
            observe=thread_state,
            may=frozenset({"owner"}) | STAFF,
        ),
        Case(
            "Taking the solution back: the same people.",
            variant="undo",
            setup=lambda w: forum.accept_solution(w.thread, w.answer, w.alice),
            path=thread_url("forum:accept"),
            data=lambda w: {"undo": "1"},
            observe=thread_state,
            may=frozenset({"owner"}) | STAFF,
        ),
    ],
    "forum:linked_fix": [
        Case(
            "Only the asker answers “Did this fix it for you too?” on her question solved "
            "through a fix on a linked one: she knows whether it is still broken for her. Not "
            "staff, not a moderator (they would take it out of, or put it back in, the queue "
            "on her behalf).",
            setup=fixed_on_the_linked_question,
            path=lambda w: reverse("forum:linked_fix", args=[w.duplicate.pk]),
            data=lambda w: {"fixed": "no"},
            observe=linked_fix_state,
            may=frozenset({"owner"}),
        ),
        Case(
            "A question not solved through a linked one has nothing to answer (InvalidAction).",
            variant="no linked fix",
            path=lambda w: reverse("forum:linked_fix", args=[w.duplicate.pk]),
            data=lambda w: {"fixed": "yes"},
            observe=linked_fix_state,
            may=NOBODY,
        ),
    ],
    "forum:did_it_fix": [
        Case(
            "Only the asker answers “Did this fix it?” after an official answer: yes accepts "
            "it, no puts her question back with staff. Not staff, not a moderator (they would "
            "solve it, or put it back in the queue, on her behalf: staff have “Mark solved”).",
            setup=official_on_alices_question,
            path=thread_url("forum:did_it_fix"),
            data=lambda w: {"fixed": "no"},
            observe=solved_state,
            may=frozenset({"owner"}),
        ),
        Case(
            "Yes: the same, and it accepts the official answer.",
            variant="yes",
            setup=official_on_alices_question,
            path=thread_url("forum:did_it_fix"),
            data=lambda w: {"fixed": "yes"},
            observe=solved_state,
            may=frozenset({"owner"}),
        ),
        Case(
            "A question with no official answer has nothing to answer (InvalidAction).",
            variant="no official answer",
            path=thread_url("forum:did_it_fix"),
            data=lambda w: {"fixed": "yes"},
            observe=solved_state,
            may=NOBODY,
        ),
    ],
    "forum:mark_solved": [
        Case(
            "Only staff mark a question solved without an accepted answer (rules.may_mark_solved), "
            "in the audit log; not the asker (she accepts an answer), not a moderator.",
            path=thread_url("forum:mark_solved"),
            observe=solved_state,
            may=STAFF,
        ),
        Case(
            "Only staff take that mark back.",
            variant="undo",
            setup=lambda w: forum.mark_solved(w.thread, w.bob),
            path=thread_url("forum:mark_solved"),
            data=lambda w: {"undo": "1"},
            observe=solved_state,
            may=STAFF,
        ),
    ],
    "forum:official": [
        Case(
            "Only staff mark an answer official: it speaks for the company.",
            owner="dave",
            path=answer_url("forum:official"),
            observe=post_state,
            may=STAFF,
        ),
        Case(
            "Only staff take the official mark off.",
            variant="undo",
            owner="dave",
            setup=lambda w: forum.mark_official(w.answer, w.bob),
            path=answer_url("forum:official"),
            data=lambda w: {"undo": "1"},
            observe=post_state,
            may=STAFF,
        ),
    ],
    # --- the forum: moderation ----------------------------------------------------------
    "forum:lock_thread": [
        Case(
            "Staff and moderators lock a thread; its asker does not.",
            path=thread_url("forum:lock_thread"),
            observe=thread_state,
            may=TEAM,
        ),
        Case(
            "Staff and moderators unlock it.",
            variant="unlock",
            setup=lock,
            path=thread_url("forum:lock_thread"),
            data=lambda w: {"unlock": "1"},
            observe=thread_state,
            may=TEAM,
        ),
    ],
    "forum:delete_thread": [
        Case(
            "Only moderators delete (rules.may_delete); staff see deleted rows but do not delete.",
            path=thread_url("forum:delete_thread"),
            observe=thread_state,
            may=MODERATOR,
        ),
        Case(
            "Only moderators restore; others cannot even see the deleted question (404).",
            variant="restore",
            setup=lambda w: forum.delete_thread(w.thread, w.carol),
            path=thread_url("forum:delete_thread"),
            data=lambda w: {"restore": "1"},
            observe=thread_state,
            may=MODERATOR,
        ),
    ],
    "forum:delete_post": [
        Case(
            "Only moderators delete an answer, not its author.",
            owner="dave",
            path=answer_url("forum:delete_post"),
            observe=post_state,
            may=MODERATOR,
        ),
        Case(
            "Only moderators restore an answer.",
            variant="restore",
            owner="dave",
            setup=lambda w: forum.delete_post(w.answer, w.carol),
            path=answer_url("forum:delete_post"),
            data=lambda w: {"restore": "1"},
            observe=post_state,
            may=MODERATOR,
        ),
    ],
    "forum:unsubscribe": [
        Case(
            "The signed token in alice's email is the credential (one-click unsubscribe, "
            "RFC 8058): whoever holds it unfollows her, signed in or not, as whoever.",
            path=lambda w: reverse("forum:unsubscribe", args=[w.unsubscribe_token]),
            observe=count(Follow, thread=lambda w: w.thread, user=lambda w: w.alice),
            may=EVERYONE,
        ),
        Case(
            "A token not signed by us unfollows nobody (404), whoever sends it.",
            variant="forged",
            path=lambda w: reverse(
                "forum:unsubscribe", args=[signing.dumps({"u": w.alice.pk, "t": w.thread.pk}, salt="forged")]
            ),
            observe=count(Follow, thread=lambda w: w.thread, user=lambda w: w.alice),
            may=NOBODY,
        ),
    ],
    "forum:follow_topic": [
        Case(
            "Anyone signed in follows a tag for themselves (a topic: new questions by email).",
            path=lambda w: reverse("forum:follow_topic"),
            data=lambda w: aimed_at_alice(w, {"kind": "tag", "target": "sync"}),
            observe=own_topic_follows,
            may=SIGNED_IN,
            htmx=True,
        ),
        Case(
            "Anyone signed in stops following their own topic, and only their own.",
            variant="undo",
            setup=everyone_follows_the_tag,
            path=lambda w: reverse("forum:follow_topic"),
            data=lambda w: aimed_at_alice(w, {"kind": "tag", "target": "sync", "undo": "1"}),
            observe=own_topic_follows,
            may=SIGNED_IN,
            htmx=True,
        ),
    ],
    "forum:topic_unsubscribe": [
        Case(
            "The signed token in a topic email is the credential (one-click, RFC 8058): "
            "whoever holds it stops that follow of alice's, signed in or not.",
            setup=everyone_follows_the_tag,
            path=lambda w: reverse("forum:topic_unsubscribe", args=[topic_token(w)]),
            observe=count(TopicFollow, user=lambda w: w.alice),
            may=EVERYONE,
        ),
        Case(
            "A token not signed by us stops nothing (404), whoever sends it.",
            variant="forged",
            setup=everyone_follows_the_tag,
            path=lambda w: reverse(
                "forum:topic_unsubscribe",
                args=[signing.dumps({"u": w.alice.pk, "f": alices_topic(w).pk}, salt="forged")],
            ),
            observe=count(TopicFollow, user=lambda w: w.alice),
            may=NOBODY,
        ),
    ],
    # --- duplicates ---------------------------------------------------------------------
    "duplicates:decide_link": [
        Case(
            "The asker of either question decides a suggested link on it; staff and "
            "moderators decide any (rules.may_decide_any_link).",
            path=lambda w: reverse("duplicates:decide_link", args=[w.suggested_link.pk]),
            data=lambda w: {"thread": w.thread.pk, "decision": "confirm"},
            observe=lambda w, u: DuplicateLink.objects.get(pk=w.suggested_link.pk).state,
            may=frozenset({"owner"}) | TEAM,
            htmx=True,
        ),
        Case(
            "A confirmed link is undone by the team only, not by an asker.",
            variant="unconfirm",
            path=lambda w: reverse("duplicates:decide_link", args=[w.confirmed_link.pk]),
            data=lambda w: {"thread": w.duplicate.pk, "decision": "unconfirm"},
            observe=lambda w, u: DuplicateLink.objects.get(pk=w.confirmed_link.pk).state,
            may=TEAM,
            htmx=True,
        ),
    ],
    "duplicates:merge": [
        Case(
            "Staff and moderators merge a duplicate into its cluster's main question; its asker does not.",
            path=lambda w: reverse("duplicates:merge", args=[w.cluster.pk, w.duplicate.pk]),
            observe=count(ThreadMerge, thread=lambda w: w.duplicate),
            may=TEAM,
        )
    ],
    # --- the knowledge base -------------------------------------------------------------
    "kb:vote": [
        Case(
            "Anyone votes on a published article, signed out too (a signed cookie makes a "
            "browser one voter).",
            path=lambda w: reverse("kb:vote", args=[w.article.slug]),
            data=lambda w: {"helpful": "yes"},
            observe=count(ArticleVote, article=lambda w: w.article),
            may=EVERYONE,
            htmx=True,
        ),
        Case(
            "A draft takes no votes: 404 to all but staff, who are told it is not published.",
            variant="draft",
            path=lambda w: reverse("kb:vote", args=[w.draft.slug]),
            data=lambda w: {"helpful": "yes"},
            observe=count(ArticleVote, article=lambda w: w.draft),
            may=NOBODY,
            htmx=True,
        ),
    ],
    "kb:new": [
        Case(
            "Only staff write articles (rules.may_write_articles); moderators do not.",
            path=lambda w: reverse("kb:new"),
            data=lambda w: {
                k: v for k, v in article_form(w, title="Exporting notes to PDF").items() if k != "slug"
            },
            observe=count(Article),
            may=STAFF,
        )
    ],
    "kb:edit": [
        Case(
            "Only staff edit an article, not the customer whose question it came from.",
            path=lambda w: reverse("kb:edit", args=[w.article.slug]),
            data=article_form,
            observe=article_state(lambda w: w.article),
            may=STAFF,
        )
    ],
    "kb:restore": [
        Case(
            "Only staff bring back an earlier revision.",
            path=lambda w: reverse("kb:restore", args=[w.article.slug, 1]),
            observe=article_state(lambda w: w.article),
            may=STAFF,
        )
    ],
    "kb:promote": [
        Case(
            "Only staff turn an answer into a draft article (here bob's answer on alice's question).",
            path=lambda w: reverse("kb:promote", args=[w.staff_answer.pk]),
            observe=count(Article),
            may=STAFF,
        )
    ],
    "kb:publish": [
        Case(
            "Only staff publish; to everyone else a draft does not exist (404).",
            path=lambda w: reverse("kb:publish", args=[w.draft.slug]),
            # The confirmation page's form: the revision whose text and audience it showed.
            data=lambda w: {"revision": str(w.draft.current_revision.number)},
            observe=article_state(lambda w: w.draft),
            may=STAFF,
        )
    ],
    "kb:archive": [
        Case(
            "Only staff archive an article.",
            path=lambda w: reverse("kb:archive", args=[w.article.slug]),
            observe=article_state(lambda w: w.article),
            may=STAFF,
        )
    ],
    "kb:link": [
        Case(
            "Only staff record that an article resolves a question (followers get emailed).",
            path=lambda w: reverse("kb:link", args=[w.article.slug]),
            data=lambda w: {"thread": str(w.other_thread.pk)},
            observe=article_state(lambda w: w.article),
            may=STAFF,
        )
    ],
    "kb:reviewed": [
        Case(
            "Only staff say a published article was reviewed and is still right (audited).",
            path=lambda w: reverse("kb:reviewed", args=[w.article.slug]),
            observe=lambda w, _user=None: Article.objects.values_list("reviewed_at", flat=True).get(
                pk=w.article.pk
            ),
            may=STAFF,
        )
    ],
    # --- accounts -----------------------------------------------------------------------
    "accounts:settings": [
        Case(
            "Everyone signed in renames themself, and only themself (fields naming alice are ignored).",
            path=lambda w: reverse("accounts:settings"),
            data=lambda w: aimed_at_alice(w, {"display_name": "Quiet Otter"}),
            observe=own_account,
            may=SIGNED_IN,
        )
    ],
    "accounts:notifications": [
        Case(
            "Everyone signed in sets their own email settings, and only their own.",
            path=lambda w: reverse("accounts:notifications"),
            data=lambda w: aimed_at_alice(w, {"answers": "digest", "solutions": "never"}),
            observe=own_email_preferences,
            may=SIGNED_IN,
        )
    ],
    "accounts:stop_all": [
        Case(
            "Everyone signed in stops all of their own emails, and only their own.",
            path=lambda w: reverse("accounts:stop_all"),
            data=lambda w: aimed_at_alice(w, {}),
            observe=own_email_preferences,
            may=SIGNED_IN,
        )
    ],
    "accounts:stop_all_emails": [
        Case(
            "The signed token in alice's emails is the credential (one-click 'stop all', "
            "RFC 8058): whoever holds it stops her emails, signed in or not, as whoever.",
            path=lambda w: reverse("accounts:stop_all_emails", args=[stop_all_token(w.alice.pk)]),
            observe=alices_email_preferences,
            may=EVERYONE,
        ),
        Case(
            "A token not signed by us stops nothing (404), whoever sends it.",
            variant="forged",
            path=lambda w: reverse(
                "accounts:stop_all_emails", args=[signing.dumps({"u": w.alice.pk}, salt="forged")]
            ),
            observe=alices_email_preferences,
            may=NOBODY,
        ),
    ],
    "accounts:delete": [
        Case(
            "Customers delete their own account. The last staff member or moderator cannot "
            "(accounts.privacy.deletion_blocker: 400), as bob and carol are here.",
            path=lambda w: reverse("accounts:delete"),
            data=lambda w: aimed_at_alice(w, {"password": PASSWORD, "confirm": "on"}),
            observe=own_account,
            may=SIGNED_IN - TEAM,
        ),
        Case(
            "With another of their role, staff and moderators may delete their account too.",
            variant="team of two",
            setup=another_of_each_team_role,
            path=lambda w: reverse("accounts:delete"),
            data=lambda w: aimed_at_alice(w, {"password": PASSWORD, "confirm": "on"}),
            observe=own_account,
            may=SIGNED_IN,
        ),
    ],
    "accounts:data": [
        Case(
            "Everyone signed in downloads their own data (GET, nothing written), never "
            "anyone else's; a visitor is sent to sign in.",
            method="get",
            path=lambda w: reverse("accounts:data"),
            data=lambda w: aimed_at_alice(w, {}),
            observe=lambda w, u: None,
            may=NOBODY,
            read_only=SIGNED_IN,
            check=the_download_is_theirs,
        )
    ],
    "moderation:report": [
        Case(
            "Anyone who may post reports someone else's post, the team too; not their own "
            "('edit it instead'); a visitor is sent to sign in.",
            path=moderation_url("moderation:report", "thread", lambda w: w.thread),
            data=lambda w: {"reason": "spam", "note": ""},
            observe=count(apps.get_model("moderation", "Report")),
            may=SIGNED_IN - {"owner"},
            htmx=True,
        )
    ],
    "moderation:hide": [
        Case(
            MODERATOR_ONLY_WHY,
            owner="dave",
            path=moderation_url("moderation:hide", "answer", lambda w: w.answer),
            data=lambda w: {"hide-reason": "Advertising, not an answer."},
            observe=post_state,
            may=MODERATOR,
        )
    ],
    "moderation:redact": [
        Case(
            MODERATOR_ONLY_WHY + " Redaction also scrubs the history.",
            owner="dave",
            path=moderation_url("moderation:redact", "answer", lambda w: w.answer),
            data=lambda w: {"redact-body": "Sign out and in again.", "redact-reason": "A phone number."},
            observe=post_state,
            may=MODERATOR,
        )
    ],
    "moderation:lock": [
        Case(
            MODERATOR_ONLY_WHY + " (Staff lock from the thread page's own button.)",
            path=moderation_url("moderation:lock", "thread", lambda w: w.thread),
            data=lambda w: {"lock-reason": "Heated; cooling off."},
            observe=thread_state,
            may=MODERATOR,
        )
    ],
    "moderation:dismiss": [
        Case(
            MODERATOR_ONLY_WHY,
            setup=reported_by_dave,
            path=moderation_url("moderation:dismiss", "thread", lambda w: w.thread),
            data=lambda w: {"dismiss-reason": "Not a problem."},
            observe=case_state,
            may=MODERATOR,
        )
    ],
    "moderation:suspend": [
        Case(
            MODERATOR_ONLY_WHY,
            setup=a_member_to_moderate,
            path=lambda w: reverse("moderation:suspend", args=[w.mallory.pk]),
            data=lambda w: {"suspend-days": "3", "suspend-reason": "Rude to other members."},
            observe=mallory_state,
            may=MODERATOR,
        )
    ],
    "moderation:ban": [
        Case(
            MODERATOR_ONLY_WHY,
            setup=a_member_to_moderate,
            path=lambda w: reverse("moderation:ban", args=[w.mallory.pk]),
            data=lambda w: {"ban-reason": "A spam account.", "ban-spam": "on"},
            observe=mallory_state,
            may=MODERATOR,
        )
    ],
    "desk:take": [
        Case(
            STAFF_ONLY_WHY,
            path=thread_url("desk:take"),
            observe=claims,
            may=STAFF,
        )
    ],
    "desk:next": [
        Case(
            STAFF_ONLY_WHY + " Next takes the top unclaimed waiting question.",
            setup=a_fresh_waiting_question,
            path=lambda w: reverse("desk:next"),
            observe=claims,
            may=STAFF,
        )
    ],
    "desk:release": [
        Case(
            STAFF_ONLY_WHY + " The holder releases their claim.",
            setup=taken_by_bob,
            path=thread_url("desk:release"),
            observe=claims,
            may=STAFF,
        )
    ],
    "desk:hand_over": [
        Case(
            STAFF_ONLY_WHY + " The holder hands the claim to a colleague.",
            setup=taken_by_bob_with_a_colleague,
            path=thread_url("desk:hand_over"),
            data=lambda w: {"to": w.mia.pk},
            observe=claims,
            may=STAFF,
        )
    ],
    "desk:add_note": [
        Case(
            STAFF_ONLY_WHY + " Notes are private to staff.",
            path=thread_url("desk:add_note"),
            data=lambda w: {"body": "Refund issued for the double charge."},
            observe=count(apps.get_model("desk", "Note")),
            may=STAFF,
        )
    ],
    "desk:decide_link": [
        Case(
            STAFF_ONLY_WHY + " From the desk's list of pending duplicate decisions (askers decide "
            "on their own question's page, duplicates:decide_link).",
            path=lambda w: reverse("desk:decide_link", args=[w.suggested_link.pk]),
            data=lambda w: {"decision": "confirm"},
            observe=lambda w, u: DuplicateLink.objects.get(pk=w.suggested_link.pk).state,
            may=STAFF,
            htmx=True,
        )
    ],
    "desk:promote_repeat": [
        Case(
            STAFF_ONLY_WHY + " Promote starts a draft article from the team's repeated answer.",
            setup=a_repeat_group,
            path=lambda w: reverse("desk:promote_repeat", args=[w.repeat.pk]),
            observe=repeat_state,
            may=STAFF,
        )
    ],
    "desk:dismiss_repeat": [
        Case(
            STAFF_ONLY_WHY + " Staff mark a group of alike answers as not a repeat.",
            setup=a_repeat_group,
            path=lambda w: reverse("desk:dismiss_repeat", args=[w.repeat.pk]),
            observe=repeat_state,
            may=STAFF,
        )
    ],
    "desk:new_reply": [
        Case(
            STAFF_ONLY_WHY + " Each member of staff keeps their own saved replies.",
            path=lambda w: reverse("desk:new_reply"),
            data=lambda w: {"title": "Sync stalls", "body": "Hi {asker}, choose Skip in Settings."},
            observe=saved_reply_titles,
            may=STAFF,
        )
    ],
    "desk:edit_reply": [
        Case(
            STAFF_ONLY_WHY + " Its owner edits a saved reply (a team lead, a shared one).",
            setup=a_saved_reply_of_bob,
            path=lambda w: reverse("desk:edit_reply", args=[w.reply.pk]),
            data=lambda w: {
                "title": "Sync stalls after 4.2",
                "body": "Hi {asker}, choose Skip.",
                "shared": "on",
            },
            observe=saved_reply_titles,
            may=STAFF,
        )
    ],
    "desk:delete_reply": [
        Case(
            STAFF_ONLY_WHY + " Its owner deletes a saved reply (a team lead, a shared one).",
            setup=a_saved_reply_of_bob,
            path=lambda w: reverse("desk:delete_reply", args=[w.reply.pk]),
            observe=saved_reply_titles,
            may=STAFF,
        )
    ],
    "desk:duty": [
        Case(
            STAFF_ONLY_WHY + " Each member of staff switches their own duty.",
            path=lambda w: reverse("desk:duty"),
            data=lambda w: {"on_duty": "0"},
            observe=duty_state,
            may=STAFF,
        )
    ],
    "desk:settings": [
        Case(
            STAFF_ONLY_WHY + " Each member of staff chooses their own desk emails and areas.",
            path=lambda w: reverse("desk:settings"),
            data=lambda w: {"notify_new_threads": "on"},
            observe=desk_settings,
            may=STAFF,
        )
    ],
    "desk:unsubscribe": [
        Case(
            "The one desk URL that is not staff-only: the signed token in bob's desk email is the "
            "credential (one-click unsubscribe, RFC 8058): whoever holds it stops that kind of "
            "email for him, signed in or not, as whoever.",
            path=desk_unsubscribe_url,
            observe=bobs_reply_emails,
            may=EVERYONE,
        ),
        Case(
            "A token not signed by us stops nothing (404), whoever sends it.",
            variant="forged",
            path=lambda w: reverse(
                "desk:unsubscribe", args=[signing.dumps({"u": w.bob.pk, "k": "reply"}, salt="forged")]
            ),
            observe=bobs_reply_emails,
            may=NOBODY,
        ),
    ],
}


def mutating_url_names() -> list[str]:
    """Our named URLs that are not read-only: the rows of the matrix."""
    return sorted(n for n in _our_url_names() if ":" in n and n not in READ_ONLY)


def _params():
    for name in mutating_url_names():
        cases = CASES.get(name) or [None]
        for case in cases:
            modes = ("form", "htmx") if case is not None and case.htmx else ("form",)
            for actor in ACTORS:
                for mode in modes:
                    label = name + (f"/{case.variant}" if case and case.variant else "")
                    suffix = "-htmx" if mode == "htmx" else ""
                    yield pytest.param(name, case, actor, mode, id=f"{label}-{actor}{suffix}")


def test_the_matrix_rows_are_the_urls_that_write():
    assert set(mutating_url_names()) == set(VIEW_KINDS), "config.ratelimits.VIEW_KINDS and READ_ONLY disagree"
    assert set(CASES) <= set(mutating_url_names()), "a case for a URL that no longer exists (or only reads)"
    for name, cases in CASES.items():
        variants = [c.variant for c in cases]
        assert variants[0] == "" and len(set(variants)) == len(variants), name


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    """Built once; every test's changes are rolled back (see matrix_world)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield matrix_world.build()
        transaction.set_rollback(True)


@pytest.fixture
def world(built_world, db) -> World:
    return matrix_world.fresh(built_world)


def person(w: World, case: Case, actor: str) -> User | None:
    owner = getattr(w, case.owner)
    other = w.dave if owner == w.alice else w.alice
    return {
        "anonymous": None,
        "owner": owner,
        "other_customer": other,
        "moderator": w.carol,
        "staff": w.bob,
    }[actor]


def send(client: Client, case: Case, w: World, mode: str):
    headers = {"HX-Request": "true"} if mode == "htmx" else {}
    return getattr(client, case.method)(case.path(w), case.data(w), headers=headers)


def error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == message_levels.ERROR]


def accounts_of(w: World, but: User | None) -> list[tuple]:
    people = [p.pk for p in w.cast if but is None or p.pk != but.pk]
    return list(User.objects.filter(pk__in=people).order_by("pk").values_list())


def assert_done(response) -> None:
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert not response["Location"].startswith(SIGN_IN), response["Location"]
    assert "HX-Redirect" not in response
    assert error_messages(response) == []


def assert_refused(response, actor: str, mode: str) -> None:
    status = response.status_code
    if status in (400, 403, 404):
        return
    to_sign_in = response.get("HX-Redirect") if mode == "htmx" and status == 200 else None
    to_sign_in = to_sign_in or (response["Location"] if status == 302 else None)
    if actor == "anonymous" and to_sign_in and to_sign_in.startswith(SIGN_IN):
        return
    if mode == "htmx" and status == 200:  # an inline error, swapped in by htmx (2xx only)
        assert 'role="alert"' in response.content.decode(), response.content
        # forum.views.common.refused appends it; a form fragment (moderation:report) replaces itself
        assert response.get("HX-Reswap", "beforeend") == "beforeend"
        return
    assert status == 302, f"a refusal answered {status}"
    assert error_messages(response), f"a redirect to {response['Location']} without an error message"


@pytest.mark.parametrize(("url_name", "case", "actor", "mode"), list(_params()))
def test_permission_matrix(url_name, case, actor, mode, world):
    assert case is not None, f"{url_name} writes but has no case in CASES: add one (who may change what)"
    w = world
    if case.setup:
        case.setup(w)
    user = person(w, case, actor)
    client = Client()
    if user is not None:
        client.force_login(user)
    allowed = actor in case.may
    before, others_before = case.observe(w, user), accounts_of(w, user)
    rows_before = None if allowed else matrix_world.snapshot()

    response = send(client, case, w, mode)

    after = case.observe(w, user)
    assert accounts_of(w, user) == others_before, "someone else's account changed"
    if allowed:
        assert_done(response)
        assert after != before, f"{actor} was allowed but nothing changed"
    else:
        if actor in case.read_only:
            assert response.status_code == 200
        else:
            assert_refused(response, actor, mode)
        assert after == before
        assert matrix_world.changed_tables(rows_before, matrix_world.snapshot()) == [], "it wrote"
    if case.check and actor in case.read_only | case.may:
        case.check(w, user, response)


UNSUBSCRIBE = {"forum:unsubscribe", "forum:topic_unsubscribe", "desk:unsubscribe", "accounts:stop_all_emails"}


def _csrf_params():
    for name in sorted(CASES):
        case = CASES[name][0]
        if case.method != "post" or name in UNSUBSCRIBE:  # csrf_exempt: the token is the credential
            continue
        yield pytest.param(name, case, id=name)


@pytest.mark.parametrize(("url_name", "case"), list(_csrf_params()))
def test_a_post_without_the_csrf_token_is_refused(url_name, case, world):
    """The Django test client skips CSRF checks unless asked; a browser's does not."""
    actor = next((a for a in ("owner", "other_customer", "staff", "moderator") if a in case.may), "owner")
    if case.setup:
        case.setup(world)
    user = person(world, case, actor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = matrix_world.snapshot()
    response = send(client, case, world, "form")
    assert response.status_code == 403
    assert b"This form has expired" in response.content  # config.views.csrf_failure
    assert matrix_world.changed_tables(before, matrix_world.snapshot()) == []
