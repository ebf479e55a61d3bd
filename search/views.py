from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from search import actions, examples, kinds, presenters, queries, viewers
from search.forms import SearchForm, SuggestForm
from search.models import AskAttempt
from search.query import query
from search.suggest import LIMIT as SUGGESTION_LIMIT
from search.suggest import suggestions


@require_GET
def search_page(request):
    values = SearchForm(request.GET).values()
    results = None
    if values["q"]:
        results = query(
            values["q"],
            kinds=[values["type"]] if values["type"] else None,
            category=values["category"],
            tags=values["tags"],
            solved_only=values["solved"],
            user=request.user,
            page=values["page"],
        )
    context = {
        "q": values["q"],
        "values": values,
        "results": results,
        "browse_kinds": kinds.browsable_kinds(),
        "ask_kinds": kinds.ask_kinds(),
    }
    if results is None or results.message:
        context["examples"] = examples.examples()  # the landing's help, cached
    if results is not None:
        context["facets"] = presenters.facet_links(results, request.GET, values)
        context["chips"] = presenters.active_filters(request.GET, values, results)
        context["pages"] = presenters.page_links(results, request.GET)
        if not results.message:
            context["tools"] = kinds.results_tools(request, values["q"])
    return render(request, "search/search.html", context)


@require_GET
def suggest(request):
    """HTML fragment for the ask page: published articles, solved threads and open
    questions like the question (search/suggest.py)."""
    values = SuggestForm(request.GET).values()
    hits = []
    if len(values["title"]) >= 3 or len(values["body"]) >= 20:
        hits = suggestions(values["title"], values["body"], request.user, limit=SUGGESTION_LIMIT)
        actions.record_shown(values["attempt"], [hit.url for hit in hits], request.user)
    attempt = values["attempt"] if actions.valid_token(values["attempt"]) else ""
    context = {
        "hits": hits,
        "attempt": attempt,
        "typed": bool(values["title"] or values["body"]),
        "any_open": any(not hit.solved for hit in hits),
    }
    return render(request, "search/includes/suggestions.html", context)


@require_GET
def open_suggestion(request, token: str):
    """Record that an ask attempt opened a suggestion, then go there.

    Only URLs the attempt was shown are followed, so this is no open redirect.
    """
    attempt = get_object_or_404(AskAttempt, token=token)
    url = request.GET.get("to", "")
    if url not in attempt.shown_urls:
        raise Http404("This suggestion was not shown to this ask attempt.")
    actions.record_open(token, url)
    return HttpResponseRedirect(url)


@require_GET
@login_required  # Django's: search may not import accounts (whose sign_in_first does the same here)
def deflection(request):
    """Staff: how many questions the knowledge base prevented."""
    if not viewers.may_see_figures(request.user):
        raise PermissionDenied("Only staff and moderators can see deflection figures.")
    days = queries.period_days(request.GET.get("days"))
    context = {"days": days, "periods": queries.PERIODS, **queries.deflection_report(days)}
    return render(request, "search/deflection.html", context)
