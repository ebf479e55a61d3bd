from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from config.middleware import FORBIDDEN, NOT_FOUND, error_page, message_for
from forum import queries as forum_queries
from kb import queries as kb_queries

HOME_LIST_SIZE = 5


def home(request):
    """The front page: search first, then the most helpful articles and the latest fixes.
    Three queries whatever the data: articles (with categories), solved threads, their tags."""
    context = {
        "popular_articles": kb_queries.popular_articles(HOME_LIST_SIZE),
        "recently_solved": list(forum_queries.thread_list("solved")[:HOME_LIST_SIZE]),
    }
    return render(request, "home.html", context)


def hello(request):
    """BENCH_HELLO only: the cheapest page there is, through the same middleware as every
    other; bench/pages_bench.py measures pages as a share of its throughput."""
    return HttpResponse("hello", content_type="text/plain")


def robots_txt(request):
    """For crawlers: the public pages are open, the staff and account pages are not,
    and the sitemap is at this site's own address."""
    names = ("desk:queue", "moderation:queue", "account_login", "admin:index", "search:suggest")
    private = [reverse(name) for name in names]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in private), ""]
    lines.append("Sitemap: " + request.build_absolute_uri(reverse("django.contrib.sitemaps.views.sitemap")))
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def csrf_failure(request, reason: str = ""):
    """The form was sent without a valid CSRF token: most often a page left open so long
    that the sign-in changed, or cookies blocked. Say so, and how to keep the text."""
    return error_page(
        request,
        403,
        "This form has expired",
        "Your browser sent the form without the security token this site expects — usually "
        "because the page was open a long time, you signed in or out in another tab, or "
        "cookies are blocked for this site. Nothing was saved. Go back, copy what you wrote, "
        "reload the page and send it again.",
    )


def not_found(request, exception=None):
    code, heading, default = NOT_FOUND
    return error_page(request, code, heading, message_for(exception, default))


def forbidden(request, exception=None):
    code, heading, default = FORBIDDEN
    return error_page(request, code, heading, message_for(exception, default))
