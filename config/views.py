from django.shortcuts import render

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
