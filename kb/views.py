"""The knowledge base's pages. Each view validates input, calls one action, renders
or redirects. Reading is public; writing is for staff: a signed-out visitor is
sent to sign in, a customer gets 403 — except on drafts and archived articles,
which are 404 for everyone but staff, so nobody learns they exist.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import rules
from accounts.decorators import sign_in_first
from forum.access import access_thread
from forum.errors import ForumError
from forum.markdown import plain_text
from forum.models import Category
from forum.views.common import back_to
from kb import actions, health, notifications, queries, seo
from kb.access import (
    access_article,
    access_article_for_staff,
    access_post_to_promote,
    moved_article,
    require_writer,
)
from kb.diff import diff_revisions
from kb.forms import ArticleForm, LinkThreadForm, PublishForm, VoteForm

VISITOR_COOKIE = "kb_visitor"
VISITOR_SALT = "kb.visitor"
VISITOR_MAX_AGE = 2 * 365 * 24 * 3600


def voter_key(request) -> str | None:
    """ "u:<id>" for a signed-in person, "v:<token>" for a visitor whose browser has our
    signed cookie, None for a visitor we have not met."""
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    token = request.get_signed_cookie(VISITOR_COOKIE, default=None, salt=VISITOR_SALT)
    return f"v:{token}" if token else None


@require_GET
def kb_home(request):
    staff = rules.may_write_articles(request.user)
    context = {"can_edit": staff, **queries.kb_home(request.user, staff=staff)}
    return render(request, "kb/home.html", context)


@require_GET
def category(request, slug: str):
    category_obj = get_object_or_404(Category, slug=slug)
    page = Paginator(queries.category_articles(category_obj), 20).get_page(request.GET.get("page"))
    return render(request, "kb/category.html", {"category": category_obj, "page": page})


def _article_or_moved(request, slug: str):
    try:
        return access_article(request.user, slug), None
    except Http404:
        moved = moved_article(request.user, slug)
        if moved is None:
            raise
        return None, moved


@require_GET
def article_detail(request, slug: str):
    article, moved = _article_or_moved(request, slug)
    if moved is not None:
        return redirect(moved, permanent=True)
    actions.record_view(article.pk)
    page = queries.article_page(article, voter_key(request))
    description = article.summary or plain_text(article.body_html, 160)
    context = {
        "article": article,
        "page": page,
        "description": description,
        "jsonld": seo.json_ld(seo.article_data(article, description)),
        "can_edit": rules.may_write_articles(request.user),
        "vote_form": VoteForm(),
    }
    return render(request, "kb/article.html", context)


@require_POST
def vote(request, slug: str):
    """Yes/no, then an optional reason. htmx gets the feedback box back; a plain form
    POST goes back to the article. Anonymous visitors get a signed cookie that makes
    their browser one voter."""
    article = access_article(request.user, slug)
    voter, new_token = voter_key(request), None
    if voter is None:
        new_token = secrets.token_urlsafe(18)
        voter = f"v:{new_token}"
    form = VoteForm(request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["helpful"]:
                counted = actions.vote(article, voter, data["helpful"] == "yes", user=request.user)
                if not counted:
                    error = "You already told us about this article. Thanks!"
            if data["reason"].strip():
                actions.add_vote_reason(article, voter, data["reason"])
        except ForumError as exc:
            error = str(exc)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    if request.htmx:
        article.refresh_from_db(fields=["helpful_count", "unhelpful_count"])
        my_vote = article.votes.filter(voter=voter).first()
        context = {"article": article, "my_vote": my_vote, "vote_error": error, "vote_form": form}
        response = render(
            request, "kb/includes/vote.html", context, status=400 if error and not my_vote else 200
        )
    else:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Thanks for your feedback!")
        response = redirect(f"{article.get_absolute_url()}#feedback")
    if new_token:
        response.set_signed_cookie(
            VISITOR_COOKIE,
            new_token,
            salt=VISITOR_SALT,
            max_age=VISITOR_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


@require_GET
def history(request, slug: str):
    article, moved = _article_or_moved(request, slug)
    if moved is not None:
        return redirect("kb:history", moved.slug, permanent=True)
    revisions = list(article.revisions.select_related("author"))
    by_number = {r.number: r for r in revisions}
    newest = revisions[0] if revisions else None

    def pick(name: str, default):
        try:
            return by_number.get(int(request.GET.get(name, "")), default)
        except ValueError:
            return default

    new = pick("to", newest)
    old = pick("from", by_number.get(new.number - 1) if new else None)
    context = {
        "article": article,
        "revisions": revisions,
        "old": old,
        "new": new,
        "diff": diff_revisions(old, new) if old and new and old != new else None,
        "can_edit": rules.may_write_articles(request.user),
    }
    return render(request, "kb/history.html", context)


@require_POST
@sign_in_first()
def restore(request, slug: str, number: int):
    article = access_article_for_staff(request.user, slug)
    try:
        if actions.restore_revision(article, number, request.user):
            messages.success(request, f"Revision {number} is back, saved as a new revision.")
        else:
            messages.info(request, f"The article already says what revision {number} says.")
    except ForumError as error:
        messages.error(request, str(error))
    return redirect("kb:history", article.slug)


def _tags_text(article) -> str:
    return ", ".join(t.name for t in article.tags.all())


def _publishing(request, article=None) -> bool:
    """The form was sent with "Save and publish" (which only unpublished articles offer)."""
    return request.POST.get("then") == "publish" and not (article and article.is_published)


@require_http_methods(["GET", "POST"])
@sign_in_first()
def new_article(request):
    require_writer(request.user)
    form = ArticleForm(request.POST or None, with_slug=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = actions.create_article(
                request.user,
                data["title"],
                data["summary"],
                data["body"],
                data["category"],
                data["tags"],
                comment=data["comment"],
            )
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            if _publishing(request):
                return redirect("kb:publish", article.slug)
            messages.success(request, "Draft saved. Publish it when it is ready.")
            return redirect("kb:edit", article.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "kb/edit.html", {"form": form, "article": None}, status=status)


@require_http_methods(["GET", "POST"])
@sign_in_first()
def edit_article(request, slug: str):
    """Save draft / Save and publish: both send this one form, so what is published is
    the text on the screen — saved first, then confirmed on the publish page."""
    article = access_article_for_staff(request.user, slug)
    form = ArticleForm(request.POST or None, initial=_form_initial(article))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = actions.save_article(
                article,
                request.user,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                category=data["category"],
                tags=data["tags"],
                slug=data["slug"] or article.slug,
                comment=data["comment"],
                base_revision=data["base_revision"],
            )
        except actions.EditConflict as conflict:
            form.add_error(None, str(conflict))
            form.take_revision(conflict.current)
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            if _publishing(request, article):
                if changed:
                    messages.success(
                        request, "Saved as a new revision. It is not public until you confirm below."
                    )
                return redirect("kb:publish", article.slug)
            if changed:
                messages.success(request, "Saved as a new revision.")
            else:
                messages.info(request, "Nothing changed, so no new revision was made.")
            return redirect("kb:edit", article.slug)
    context = {
        "form": form,
        "article": article,
        "sources": list(article.sources.select_related("thread", "post__author")),
        "link_form": LinkThreadForm(),
    }
    return render(request, "kb/edit.html", context, status=400 if request.method == "POST" else 200)


def _form_initial(article) -> dict:
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body_md,
        "category": article.category_id,
        "tags": _tags_text(article),
        "base_revision": article.current_revision.number if article.current_revision else None,
    }


@require_http_methods(["GET", "POST"])
@sign_in_first()
def publish(request, slug: str):
    """GET: the confirmation — the text that goes public and how many people the email
    job will email. POST: publish the revision that page showed, or nothing if someone
    saved a newer one since (or the form names none: an old page's button)."""
    article = access_article_for_staff(request.user, slug)
    if article.is_published:
        messages.info(request, "This article is already published.")
        return redirect(article)
    if request.method == "POST":
        form = PublishForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Check the text and who will be emailed, then confirm.")
            return redirect("kb:publish", article.slug)
        emailed = len(notifications.publish_audience(article, request.user.pk).people)
        try:
            actions.publish(article, request.user, revision=form.cleaned_data["revision"])
        except ForumError as error:
            messages.error(request, str(error))
            return redirect("kb:publish", article.slug)
        messages.success(request, f"Published. {_emailing(emailed)}")
        return redirect(article)
    context = {
        "article": article,
        "audience": notifications.publish_audience(article, request.user.pk),
        "form": PublishForm(initial={"revision": getattr(article.current_revision, "number", None)}),
    }
    return render(request, "kb/publish.html", context)


def _emailing(count: int) -> str:
    if count == 0:
        return "Nobody follows its questions, so no one is emailed."
    people = "person who follows" if count == 1 else "people who follow"
    return f"Emailing the {count} {people} its questions."


@require_POST
@sign_in_first()
def archive(request, slug: str):
    article = access_article_for_staff(request.user, slug)
    try:
        actions.archive(article, request.user)
    except ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Archived: only staff can see it now. Publish it again to bring it back.")
    return redirect("kb:edit", article.slug)


@require_POST
@sign_in_first()
def link_thread(request, slug: str):
    article = access_article_for_staff(request.user, slug)
    form = LinkThreadForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["thread"]))
        return redirect("kb:edit", article.slug)
    try:
        thread = access_thread(request.user, form.cleaned_data["thread"])
        if actions.link_thread(article, thread, request.user):
            messages.success(request, f"Linked “{thread.title}”.")
        else:
            messages.info(request, "That question was linked already.")
    except Http404:
        messages.error(request, "There is no question with that number.")
    except ForumError as error:
        messages.error(request, str(error))
    return redirect("kb:edit", article.slug)


@require_POST
@sign_in_first()
def promote(request, post_id: int):
    post = access_post_to_promote(request.user, post_id)
    try:
        article = actions.promote(post, request.user)
    except ForumError as error:
        messages.error(request, str(error))
        return redirect(post.get_absolute_url())
    messages.success(request, "Draft article created from the answer. Edit it, then publish.")
    return redirect("kb:edit", article.slug)


@require_GET
@sign_in_first()
def unhelpful(request):
    require_writer(request.user)
    context = {"flagged": health.flagged_articles(), "articles": queries.unhelpful_articles()}
    return render(request, "kb/unhelpful.html", context)


@require_POST
@sign_in_first()
def reviewed(request, slug: str):
    """ "Reviewed, still right" from the article page, /kb/unhelpful/ or /desk/articles/:
    back to where it was pressed."""
    article = access_article_for_staff(request.user, slug)
    try:
        actions.mark_reviewed(article, request.user)
    except ForumError as error:
        messages.error(request, str(error))
    else:
        still = " It still needs review for the other reasons shown." if article.needs_review else ""
        messages.success(request, f"Marked “{article.title}” as reviewed today.{still}")
    return redirect(back_to(request, article.get_absolute_url()))
