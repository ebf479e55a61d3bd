"""/questions/, /questions/tagged/<tag>/, /questions/category/<slug>/."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from forum import listcounts, queries
from forum.models import Category, Tag, TopicFollow

PER_PAGE = 20


def _list_page(request, *, title: str, category: Category | None = None, tag: Tag | None = None):
    tab = request.GET.get("tab", "newest")
    tab = tab if tab in queries.TABS else "newest"
    category_slug = category.slug if category else request.GET.get("category", "")
    tag_slug = tag.slug if tag else request.GET.get("tag", "")
    threads = queries.thread_list(tab, category=category_slug, tag=tag_slug)
    page = Paginator(threads, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "title": title,
        "tab": tab,
        "tabs": queries.TABS,
        "page": page,
        "category": category,
        "tag": tag,
        "category_slug": category_slug,
        "tag_slug": tag_slug,
    }
    context["categories"], context["popular_tags"] = listcounts.panels()
    if (tag or category) and request.user.is_authenticated:
        follows = TopicFollow.objects.filter(user=request.user)
        context["topic_following"] = (
            follows.filter(tag=tag) if tag else follows.filter(category=category)
        ).exists()
    return render(request, "forum/list.html", context)


@require_GET
def thread_list(request):
    return _list_page(request, title="Questions")


@require_GET
def tagged(request, tag: str):
    tag_obj = get_object_or_404(Tag, slug=tag)
    return _list_page(request, title=f"Questions tagged “{tag_obj.name}”", tag=tag_obj)


@require_GET
def category(request, slug: str):
    category_obj = get_object_or_404(Category, slug=slug)
    return _list_page(request, title=category_obj.name, category=category_obj)
