"""Me-too, follow, helpful, official, accept, "Did this fix it for you too?", "Did this
fix it?", "Mark solved": buttons on the thread page.

With htmx the view returns the fragment it changed; without JavaScript it
redirects back to the thread.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import sign_in_first
from forum import actions, queries
from forum.access import access_post, access_thread
from forum.errors import ForumError
from forum.models import Follow, MeToo, Thread
from forum.pending import keep_the_question, remember_me_too
from forum.templatetags.forum_tags import waited_words
from forum.views.common import back_to, post_thread_path, refused, thread_path


def _question_actions(request, thread):
    thread.refresh_from_db(fields=["me_too_count", "follower_count", "people_count"])
    page = queries.ThreadPage(
        thread=thread,
        has_me_too=MeToo.objects.filter(user=request.user, thread=thread).exists(),
        is_following=Follow.objects.filter(user=request.user, thread=thread).exists(),
    )
    context = {"thread": thread, "page": page, "oob": True}
    return render(request, "forum/includes/question_actions.html", context)


def _toggle_on_thread(request, thread_id: int, do, undo):
    """A yes/undo button on the question (me-too, follow): htmx swaps the buttons,
    a plain form post goes back to the page it came from."""
    thread = access_thread(request.user, thread_id)
    try:
        (undo if request.POST.get("undo") else do)(request.user, thread)
    except ForumError as error:
        return refused(request, error, thread.get_absolute_url())
    if request.htmx:
        return _question_actions(request, thread)
    return redirect(back_to(request, thread.get_absolute_url()))


def _suggestion_me_too(request, thread):
    """The ask page's suggestion panel: its open question's button, as it is now."""
    thread.refresh_from_db(fields=["people_count"])
    context = {
        "thread_id": thread.pk,
        "people": thread.people_count,
        "has_me_too": MeToo.objects.filter(user=request.user, thread=thread).exists(),
        "own": thread.author_id == request.user.pk,
        "just_done": not request.POST.get("undo"),
        "oob": True,  # the count next to the badge changes too
    }
    return render(request, "forum/includes/suggest_me_too.html", context)


def me_too_return_path(request, thread_id: int, **_) -> str:
    """Where a visitor comes back to after signing in: the page the button was on."""
    return back_to(request, thread_path(request, thread_id))


@require_POST
@sign_in_first(page=me_too_return_path, on_visitor=remember_me_too)
def me_too(request, thread_id: int):
    """On the thread page and in the ask page's suggestions (place=suggestion).
    Signed out: remembered (forum/pending.py) and done after sign-in."""
    thread = access_thread(request.user, thread_id)
    undo = bool(request.POST.get("undo"))
    try:
        (actions.undo_me_too if undo else actions.me_too)(request.user, thread)
    except ForumError as error:
        return refused(request, error, thread.get_absolute_url())
    if request.htmx:
        if request.POST.get("place") == "suggestion":
            return _suggestion_me_too(request, thread)
        return _question_actions(request, thread)
    back = back_to(request, thread.get_absolute_url())
    keep_the_question(request, back)
    if back == reverse("forum:ask") and not undo:
        messages.success(request, f"Added: you have “{thread.title}” too. We'll email you when it is fixed.")
    return redirect(back)


@require_POST
@sign_in_first(page=thread_path)
def follow(request, thread_id: int):
    return _toggle_on_thread(request, thread_id, actions.follow, actions.unfollow)


@require_POST
@sign_in_first(page=post_thread_path)
def helpful(request, post_id: int):
    post = access_post(request.user, post_id)
    try:
        if request.POST.get("undo"):
            actions.unvote_helpful(request.user, post)
        else:
            actions.vote_helpful(request.user, post)
    except ForumError as error:
        return refused(request, error, post.get_absolute_url())
    if request.htmx:
        post.refresh_from_db(fields=["helpful_count"])
        post.user_voted = post.helpful_votes.filter(user=request.user).exists()
        post.can_vote = True
        post.helpful_url = reverse("forum:helpful", args=[post.pk])
        return render(request, "forum/includes/helpful_button.html", {"post": post})
    return redirect(post.get_absolute_url())


@require_POST
@sign_in_first(page=post_thread_path)
def official(request, post_id: int):
    post = access_post(request.user, post_id)
    try:
        if request.POST.get("undo"):
            actions.unmark_official(post, request.user)
            messages.success(request, "The answer is no longer marked official.")
        else:
            actions.mark_official(post, request.user)
            messages.success(request, "Marked as the official answer. Followers will be emailed.")
    except ForumError as error:
        return refused(request, error, post.get_absolute_url())
    return redirect(post.get_absolute_url())


@require_POST
@sign_in_first(page=thread_path)
def accept(request, thread_id: int):
    thread = access_thread(request.user, thread_id)
    try:
        if request.POST.get("undo"):
            actions.unaccept_solution(thread, request.user)
            messages.success(request, "The answer is no longer marked as the solution.")
            return redirect(thread)
        raw = request.POST.get("post") or ""
        # The same bound as the <id:> URL converter: a 30-digit number overflowed SQLite.
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
            raise ValueError(raw)
        post_id = int(raw)
    except ForumError as error:
        return refused(request, error, thread.get_absolute_url())
    except ValueError:
        return HttpResponseBadRequest("Which answer? Choose “Accept” under the answer that solved it.")
    post = access_post(request.user, post_id)
    try:
        actions.accept_solution(thread, post, request.user)
    except ForumError as error:
        return refused(request, error, thread.get_absolute_url())
    messages.success(request, "Marked as the solution. Thanks for closing the loop!")
    return redirect(post.get_absolute_url())


@require_POST
@sign_in_first(page=thread_path)
def linked_fix(request, thread_id: int):
    """The asker's "Yes, it's fixed" / "No, still broken" to a fix on a linked question
    (the banner's form; the email only links to it: a GET never answers)."""
    thread = access_thread(request.user, thread_id)
    choice = request.POST.get("fixed")
    if choice not in ("yes", "no"):
        return HttpResponseBadRequest("Did the fix work? Choose “Yes, it's fixed” or “No, still broken”.")
    try:
        actions.answer_linked_fix(request.user, thread, fixed=choice == "yes")
    except ForumError as error:
        return refused(request, error, thread.get_absolute_url())
    thread.refresh_from_db(fields=["waiting_since", "linked_fix"])
    if thread.linked_fix == Thread.LinkedFix.CONFIRMED:
        messages.success(request, "Glad it's fixed! Thanks for telling us.")
    elif thread.waiting_since is not None:
        messages.success(
            request,
            f"Thanks — it's back with the team, at its original wait ({waited_words(thread.waiting_since)}).",
        )
    else:
        messages.success(request, "Thanks — your question is no longer marked solved.")
    return redirect(thread)


@require_POST
@sign_in_first(page=thread_path)
def did_it_fix(request, thread_id: int):
    """The asker's "Yes, it's fixed" / "No, still broken" to the official answer (the
    banner's form; the email only links to it: a GET never answers). Yes accepts it."""
    thread = access_thread(request.user, thread_id)
    choice = request.POST.get("fixed")
    if choice not in ("yes", "no"):
        return HttpResponseBadRequest(
            "Did the answer fix it? Choose “Yes, it's fixed” or “No, still broken”."
        )
    try:
        actions.answer_did_it_fix(request.user, thread, fixed=choice == "yes")
    except ForumError as error:
        return refused(request, error, thread.get_absolute_url())
    thread.refresh_from_db(fields=["waiting_since", "status"])
    if thread.status == Thread.Status.SOLVED:
        messages.success(request, "Glad it's fixed! The official answer is now the accepted solution.")
    elif thread.waiting_since is not None:
        messages.success(request, f"Thanks — it's back with our team ({waited_words(thread.waiting_since)}).")
    else:
        messages.success(request, "Thanks — your question is no longer marked solved.")
    return redirect(thread)


@require_POST
@sign_in_first(page=thread_path)
def mark_solved(request, thread_id: int):
    """Staff's "Mark solved" (and "Take back 'solved'", with undo): audited."""
    thread = access_thread(request.user, thread_id)
    try:
        if request.POST.get("undo"):
            actions.unmark_solved(thread, request.user)
            messages.success(request, "The question is no longer marked solved.")
        else:
            actions.mark_solved(thread, request.user)
            messages.success(request, "Marked solved. It has left the waiting queue.")
    except ForumError as error:
        return refused(request, error, thread.get_absolute_url())
    return redirect(thread)
