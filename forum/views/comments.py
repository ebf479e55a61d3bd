"""Comments under the question and under answers: post one, edit it, delete or restore it.

Every form works without JavaScript: "Add a comment" is a <details> on the thread page
that posts here and comes back to the comment; a refusal or a bad comment shows the
thread page again with the message and the text kept, its box open.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import sign_in_first
from forum import actions
from forum.access import (
    access_comment,
    access_comment_for_delete,
    access_comment_for_edit,
    access_post,
    access_thread,
)
from forum.errors import ForumError
from forum.forms import AnswerForm, CommentForm
from forum.views.common import refused, thread_path
from forum.views.threads import comment_form_for, render_thread


def _comment_thread_path(request, comment_id: int, **_) -> str:
    return access_comment(request.user, comment_id).thread.get_absolute_url()


def _target(raw) -> int | None:
    """The answer a comment form names in `post` (None: the question)."""
    raw = str(raw or "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


@require_POST
@sign_in_first(page=thread_path, draft_fields=("comment", "post"))
def comment(request, thread_id: int):
    thread = access_thread(request.user, thread_id)
    target = _target(request.POST.get("post"))
    form = comment_form_for(target, data=request.POST)
    if form.is_valid():
        try:
            post = access_post(request.user, target) if target else None
            made = actions.add_comment(thread, request.user, form.cleaned_data["comment"], post=post)
        except ForumError as error:
            form.add_error("comment", str(error))
        else:
            messages.success(request, "Your comment is posted.")
            return redirect(made.get_absolute_url())
    return render_thread(request, thread, AnswerForm(), comment_form=form, comment_target=target, status=400)


@require_http_methods(["GET", "POST"])
@sign_in_first(page=_comment_thread_path)
def edit_comment(request, comment_id: int):
    found = access_comment_for_edit(request.user, comment_id)
    form = CommentForm(request.POST or None, initial={"comment": found.body_md})
    if request.method == "POST" and form.is_valid():
        try:
            found = actions.edit_comment(found, request.user, form.cleaned_data["comment"])
        except ForumError as error:
            form.add_error("comment", str(error))
        else:
            messages.success(request, "Your comment is saved.")
            return redirect(found.get_absolute_url())
    context = {"comment": found, "thread": found.thread, "form": form}
    return render(request, "forum/edit_comment.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@sign_in_first(page=_comment_thread_path)
def delete_comment(request, comment_id: int):
    """GET: confirm. POST: delete (its author, moderators), or restore with restore=1 (moderators)."""
    found = access_comment_for_delete(request.user, comment_id)
    back = found.thread.get_absolute_url()
    if request.method == "GET":
        return render(request, "forum/confirm_delete.html", {"thread": found.thread, "comment": found})
    try:
        if request.POST.get("restore"):
            actions.restore_comment(found, request.user)
            messages.success(request, "The comment is visible again.")
            return redirect(found.get_absolute_url())
        actions.delete_comment(found, request.user)
    except ForumError as error:
        return refused(request, error, back)
    messages.success(request, "The comment is deleted.")
    return redirect(back)
