"""/questions/ask/ with its Markdown preview and tag suggestions."""

from __future__ import annotations

import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import rules
from accounts.decorators import sign_in_first
from accounts.drafts import pop_draft
from accounts.humans import started_stamp
from forum import actions, queries
from forum.errors import ForumError
from forum.forms import ASK_FIELDS, AskForm, PreviewForm
from forum.markdown import render_markdown
from forum.models import MAX_TAGS, TITLE_MAX
from forum.pending import UNSENT
from search import actions as search_actions


@require_http_methods(["GET", "POST"])
@sign_in_first(page=lambda request, **_: request.path, draft_fields=ASK_FIELDS, visitors_may_read=True)
def ask(request):
    """Anyone may open the form; posting it signed out keeps the text while they sign in.

    `?title=` fills in the title (search's "Ask" link passes what was searched for)."""
    if request.method == "GET":
        draft = pop_draft(request, request.path)
        if draft and draft.pop(UNSENT, None):
            # Kept on the way through "I have this problem too": never posted, so not judged.
            return _render(request, AskForm(initial=draft), restored=True)
        if draft:
            # A restored draft starts its fill time now: the person reads it over before posting.
            return _render(request, AskForm(data={**draft, "started": started_stamp()}), restored=True)
        title = " ".join(request.GET.get("title", "").split())[:TITLE_MAX]
        return _render(request, AskForm(initial={"title": title} if title else None))
    form = AskForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            thread = actions.create_thread(
                request.user,
                data["title"],
                data["body"],
                data["category"],
                data["tags"],
                ask_attempt=data["ask_attempt"] or None,
            )
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your question is up. We'll email you when someone answers.")
            if tags_as_saved(request.POST.get("tags", ""))["rewritten"]:
                messages.info(
                    request,
                    "Tags are saved as short lowercase words: " + (", ".join(data["tags"]) or "none") + ".",
                )
            return redirect(thread)
    return _render(request, form, status=400)


def _render(request, form, *, restored: bool = False, status: int = 200):
    """The ask page. Its suggestion panel (search app) records an "ask attempt":
    one token per visit to the page, kept through errors and sign-in."""
    unverified = (
        request.user.is_authenticated
        and not rules.may_post(request.user)
        and not rules.is_suspended(request.user)
    )
    attempt = form["ask_attempt"].value()
    if not search_actions.valid_token(attempt):
        attempt = search_actions.new_token()
    context = {"form": form, "restored": restored, "unverified": unverified, "ask_attempt": attempt}
    typed = form["tags"].value() or ""
    if isinstance(typed, str) and typed.strip():
        context["tags_preview"] = tags_as_saved(typed)
    return render(request, "forum/ask.html", context, status=status)


@require_POST
def preview(request):
    """htmx: the body's Markdown as it will look once posted."""
    form = PreviewForm(request.POST)
    html = render_markdown(form.cleaned_data["body"]) if form.is_valid() else ""
    return render(request, "forum/includes/preview.html", {"html": html, "errors": form.errors.get("body")})


@require_GET
def tag_suggest(request):
    """htmx: existing tags that start with what is being typed after the last comma."""
    typed = request.GET.get("tags", "")[:300]
    *done, current = typed.split(",")
    chosen = {actions.normalize_tags(t)[0] for t in done if actions.normalize_tags(t)}
    tags = [t for t in queries.tag_suggestions(current) if t.name not in chosen]
    return render(request, "forum/includes/tag_suggestions.html", {"tags": tags, **tags_as_saved(typed)})


def tags_as_saved(typed: str) -> dict:
    """What the tags field will be saved as, said before posting: tags are lowercase
    slugs ("iOS 17" -> "ios-17"), repeats and empty ones dropped, at most MAX_TAGS."""
    names = actions.normalize_tags(typed)
    written = [t.strip() for t in re.split(r"[,\n]+", typed) if t.strip()]
    return {
        "saved": names[:MAX_TAGS],
        "rewritten": names != written,
        "over": len(names) - MAX_TAGS if len(names) > MAX_TAGS else 0,
    }
