"""Edit (with history), delete and restore (soft), lock and unlock."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import sign_in_first
from forum import actions, queries
from forum.access import (
    access_post,
    access_post_for_delete,
    access_post_for_edit,
    access_thread,
    access_thread_for_delete,
    access_thread_for_edit,
)
from forum.errors import ForumError
from forum.forms import AnswerForm, QuestionForm
from forum.views.common import post_thread_path, refused, thread_path


@require_http_methods(["GET", "POST"])
@sign_in_first(page=thread_path)
def edit_thread(request, thread_id: int):
    thread = access_thread_for_edit(request.user, thread_id)
    initial = {
        "title": thread.title,
        "body": thread.body_md,
        "category": thread.category_id,
        "tags": ", ".join(t.name for t in thread.tags.all()),
    }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.edit_thread(
                thread, request.user, data["title"], data["body"], data["category"], data["tags"]
            )
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your changes are saved. The previous version is in the history.")
            return redirect(thread_path(request, thread.pk))
    return render(request, "forum/edit_thread.html", {"thread": thread, "form": form})


@require_http_methods(["GET", "POST"])
@sign_in_first(page=post_thread_path)
def edit_post(request, post_id: int):
    post = access_post_for_edit(request.user, post_id)
    form = AnswerForm(request.POST or None, initial={"body": post.body_md})
    if request.method == "POST" and form.is_valid():
        try:
            post = actions.edit_post(post, request.user, form.cleaned_data["body"])
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your changes are saved. The previous version is in the history.")
            return redirect(post.get_absolute_url())
    return render(request, "forum/edit_post.html", {"post": post, "thread": post.thread, "form": form})


@require_GET
def thread_history(request, thread_id: int):
    thread = access_thread(request.user, thread_id)
    revisions = queries.revisions_for_thread(thread)
    return render(
        request, "forum/history.html", {"thread": thread, "subject": thread, "revisions": revisions}
    )


@require_GET
def post_history(request, post_id: int):
    post = access_post(request.user, post_id)
    revisions = queries.revisions_for_post(post)
    context = {"thread": post.thread, "subject": post, "post": post, "revisions": revisions}
    return render(request, "forum/history.html", context)


@require_http_methods(["GET", "POST"])
@sign_in_first(page=thread_path)
def delete_thread(request, thread_id: int):
    """GET: confirm. POST: delete, or restore with restore=1 (moderators)."""
    thread = access_thread_for_delete(request.user, thread_id)
    if request.method == "GET":
        return render(request, "forum/confirm_delete.html", {"thread": thread, "subject": thread})
    try:
        if request.POST.get("restore"):
            actions.restore_thread(thread, request.user)
            messages.success(request, "The question is visible again.")
        else:
            actions.delete_thread(thread, request.user)
            messages.success(request, "The question is deleted: only staff and moderators can see it now.")
    except ForumError as error:
        return refused(request, error, thread.get_absolute_url())
    return redirect(thread.get_absolute_url())


@require_http_methods(["GET", "POST"])
@sign_in_first(page=post_thread_path)
def delete_post(request, post_id: int):
    post = access_post_for_delete(request.user, post_id)
    if request.method == "GET":
        return render(
            request, "forum/confirm_delete.html", {"thread": post.thread, "subject": post, "post": post}
        )
    try:
        if request.POST.get("restore"):
            actions.restore_post(post, request.user)
            messages.success(request, "The answer is visible again.")
        else:
            actions.delete_post(post, request.user)
            messages.success(request, "The answer is deleted: only staff and moderators can see it now.")
    except ForumError as error:
        return refused(request, error, post.thread.get_absolute_url())
    return redirect(post.get_absolute_url())


@require_POST
@sign_in_first(page=thread_path)
def lock_thread(request, thread_id: int):
    """POST: lock, or unlock with unlock=1 (staff and moderators)."""
    thread = access_thread(request.user, thread_id)
    try:
        if request.POST.get("unlock"):
            actions.unlock_thread(thread, request.user)
            messages.success(request, "The thread is unlocked: it takes answers again.")
        else:
            actions.lock_thread(thread, request.user)
            messages.success(request, "The thread is locked: it takes no new answers.")
    except ForumError as error:
        return refused(request, error, thread.get_absolute_url())
    return redirect(thread.get_absolute_url())
