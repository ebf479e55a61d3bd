"""The thread page and posting an answer to it (comments: forum/views/comments.py)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from accounts import rules
from accounts.decorators import sign_in_first
from accounts.drafts import pop_draft
from forum import actions, hooks, permissions, queries
from forum.access import access_thread
from forum.errors import ForumError
from forum.forms import AnswerForm, CommentForm
from forum.hooks import attach_answer_tools, attach_comment_tools, render_thread_panels
from forum.markdown import plain_text
from forum.models import Thread
from forum.urlkeys import url_maker
from forum.views.common import thread_path


def comment_form_for(post_id: int | None, data=None) -> CommentForm:
    """The "Add a comment" form under the question (None) or an answer, with ids of its own
    (a page holds one per answer)."""
    key = post_id or "q"
    return CommentForm(data=data, initial={"post": post_id}, auto_id=f"comment-{key}-%s")


# A number no id or page holds: the blank comment form is rendered with it once a page and
# re-keyed per answer (see _BlankCommentForms).
_KEY = "918273645546372819"


class _RenderedField:
    """One field of a blank "Add a comment" form as its template reads it (the HTML,
    auto_id, id_for_label, help_text, errors, field, value), rendered once by Django's
    own widget templates and re-keyed for each answer: the widget renderer cost ~0.4 ms a
    field, twice per answer (issue 14, item 4)."""

    def __init__(self, bound, key: str = _KEY):
        self._html = str(bound)
        self.auto_id = bound.auto_id
        self.id_for_label = bound.id_for_label
        self.help_text = bound.help_text
        self.field = bound.field
        self.errors = bound.errors  # empty: a blank form
        self._value = bound.value()
        if key != _KEY:
            self._html = self._html.replace(_KEY, key)

    def rekeyed(self, key: str) -> _RenderedField:
        """This field with `key` for the number it was rendered with (no rendering)."""
        field = object.__new__(_RenderedField)
        field.__dict__.update(self.__dict__)
        field._html = self._html.replace(_KEY, key)
        field.auto_id = self.auto_id.replace(_KEY, key)
        field.id_for_label = self.id_for_label.replace(_KEY, key)
        return field

    def value(self):
        return self._value

    def __str__(self) -> str:
        # The widget templates escaped what they had to; only the key (digits) changed.
        return mark_safe(self._html)  # noqa: S308

    __html__ = __str__


class _BlankCommentForms:
    """comment_form_for(post_id) for every answer of a page, and of every page a process
    serves, at the cost of one render: a blank form's HTML is the same for everyone but
    its key (it holds no CSRF token: the template adds that)."""

    def __init__(self):
        form = comment_form_for(int(_KEY))
        self._post, self._comment = _RenderedField(form["post"]), _RenderedField(form["comment"])
        question = comment_form_for(None)
        self._question = self._form(
            _RenderedField(question["post"], ""), _RenderedField(question["comment"], "")
        )

    @staticmethod
    def _form(post, comment):
        rendered = type("RenderedCommentForm", (), {})()
        rendered.post, rendered.comment = post, comment
        return rendered

    def __call__(self, post_id: int | None):
        """The blank form under the answer `post_id` (None: under the question)."""
        if post_id is None:
            return self._question
        key = str(post_id)
        return self._form(self._post.rekeyed(key), self._comment.rekeyed(key))


@lru_cache(maxsize=1)
def _blank_comment_forms() -> _BlankCommentForms:
    return _BlankCommentForms()


def render_thread(request, thread, answer_form, *, comment_form=None, comment_target=None, status: int = 200):
    """The thread page. `comment_form`: a comment form to show back (an error, or a draft
    kept while signing in) under the answer `comment_target` (None: the question), open."""
    user = request.user
    answer_id = request.GET.get("answer", "")
    # ?answer=<id> opens the page holding that answer (its links: Post.get_absolute_url);
    # the pager's own links keep it and add ?page=, which then wins.
    answer_id = (
        int(answer_id) if answer_id.isdigit() and len(answer_id) <= 18 and "page" not in request.GET else None
    )
    page = queries.thread_page(thread, user, request.GET.get("page", 1), answer_id)
    posts = [*page.pinned, *page.others]
    # Panels and tools read what this page already loaded (see forum.hooks) instead of querying.
    thread.pinned_answers = page.pinned
    thread.page_answers = posts
    thread.page_comments = page.comments
    attach_answer_tools(request, thread, posts)
    attach_comment_tools(request, thread, page.comments)
    blank_form = _blank_comment_forms()
    page.question_comments.form = blank_form(None)
    # Every answer's URLs from one reversal per URL name (forum.urlkeys), not ~4 an answer.
    urls = {
        name: url_maker(f"forum:{name}")
        for name in ("helpful", "official", "edit_post", "post_history", "delete_post")
    }
    profile_url = url_maker("accounts:profile")
    for post in posts:
        post.answer_comments.form = blank_form(post.pk)
        post.helpful_url = urls["helpful"](post.pk)
        post.official_url = urls["official"](post.pk)
        post.edit_url = urls["edit_post"](post.pk)
        post.history_url = urls["post_history"](post.pk)
        post.delete_url = urls["delete_post"](post.pk)
        post.author_url = profile_url(post.author_id)
    if comment_form is not None:
        holder = next((p.answer_comments for p in posts if p.pk == comment_target), page.question_comments)
        holder.form, holder.open = comment_form, True
    officials = [p for p in page.pinned if p.is_official]
    context = {
        "thread": thread,
        "page": page,
        # "Did this fix it?" is about the latest official answer (forum.actions.solving).
        "official": max(officials, key=lambda p: (p.official_at, p.pk), default=None),
        "is_asker": permissions.can_answer_linked_fix(user, thread),
        "auto_solve_days": settings.FORUM_AUTO_SOLVE_DAYS,
        "can_mark_solved": rules.may_mark_solved(user) and not thread.is_deleted,
        "answer_form": answer_form,
        "accept_url": reverse("forum:accept", args=[thread.pk]),
        "comment_url": reverse("forum:comment", args=[thread.pk]),
        "description": plain_text(thread.body_html, 160),
        "can_answer": permissions.can_answer(user, thread),
        "can_comment": not thread.is_locked and not thread.is_deleted,
        "unverified": user.is_authenticated and not rules.may_post(user) and not rules.is_suspended(user),
        "can_edit": permissions.can_edit_thread(user, thread),
        "can_lock": rules.may_lock(user),
        "can_delete": rules.may_delete(user),
        "panels_after_question": render_thread_panels("after_question", request, thread),
        "panels_sidebar": render_thread_panels("sidebar", request, thread),
        "question_tools": render_thread_panels("question_tools", request, thread),
    }
    return render(request, "forum/thread.html", context, status=status)


def _removed_for_its_asker(user, thread_id: int):
    """The error page's context for the asker of a removed question: they are told so
    (when, what next), not "no such page". None for anyone else."""
    if not user.is_authenticated:
        return None
    thread = (
        Thread.objects.filter(pk=thread_id, author=user, is_deleted=True).only("pk", "deleted_at").first()
    )
    if thread is None:
        return None
    context = {
        "code": 404,
        "heading": "Your question was removed",
        "message": "A moderator removed this question, so nobody can see it any more, you included.",
        "removed": thread,
    }
    return context


@require_GET
def thread_detail(request, thread_id: int, slug: str | None = None):
    try:
        thread = access_thread(request.user, thread_id)
    except Http404:
        # E.g. a thread merged into another is a hidden stub: its old URL moves for good.
        if target := hooks.thread_redirect(thread_id):
            return redirect(target, permanent=True)
        if removed := _removed_for_its_asker(request.user, thread_id):
            return render(request, "error_page.html", removed, status=404)
        raise
    if thread.is_deleted and (target := hooks.thread_redirect(thread_id)):
        return redirect(target, permanent=True)
    if slug != thread.slug:
        return redirect(thread, permanent=True)
    actions.record_view(thread.pk)
    # What the visitor wrote before signing in comes back first; else, e.g., a saved reply.
    draft = pop_draft(request, thread.get_absolute_url())
    if draft and "comment" in draft:  # a comment typed before signing in (forum/views/comments.py)
        target = draft.get("post")
        target = int(target) if target and target.isdigit() and len(target) <= 18 else None
        return render_thread(
            request,
            thread,
            AnswerForm(),
            comment_form=comment_form_for(target, data=draft),
            comment_target=target,
        )
    if draft:
        form = AnswerForm(data=draft)
    elif prefill := hooks.answer_prefill(request, thread):
        form = AnswerForm(initial={"body": prefill})
    else:
        form = AnswerForm()
    return render_thread(request, thread, form)


@require_POST
@sign_in_first(page=thread_path, draft_fields=("body",))
def answer(request, thread_id: int):
    thread = access_thread(request.user, thread_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            post = actions.add_answer(thread, request.user, form.cleaned_data["body"])
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Thanks! Your answer is posted.")
            return redirect(post.get_absolute_url())
    return render_thread(request, thread, form, status=400)
