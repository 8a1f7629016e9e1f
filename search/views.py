from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hindsight.lib.http import public_page
from hindsight.lib.ratelimit import allow, client_address, too_many
from search.backends import search
from search.forms import SearchForm
from search.query import MAX_QUERY_LENGTH, MAX_TERMS, parse_query
from search.selectors import search_filter_choices
from search.text import highlight, snippet
from treatments.models import Treatment

RESULTS_PER_PAGE = 20
# A reader searches a few times a minute; a scraper pages through everything.
SEARCHES_PER_WINDOW = 60
WINDOW_SECONDS = 300


def _engine_filters(filters: dict[str, str]) -> dict:
    engine = dict(filters)
    if slug := engine.pop("treatment", None):
        # 0 (no treatment) rather than None, which would match the articles' empty field.
        engine["treatment_id"] = Treatment.objects.filter(slug=slug).values_list(
            "pk", flat=True
        ).first() or 0
    if year := engine.get("treated_year"):
        engine["treated_year"] = int(year)
    return engine


@public_page
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, choices=search_filter_choices())
    context = {
        "form": form,
        "max_length": MAX_QUERY_LENGTH,
        "max_terms": MAX_TERMS,
        "filters": form.filters() if form.is_bound else {},
        "ignored_filters": form.ignored_filters(),
    }
    query_text = form.query_text()
    if query_text:
        if not allow("search", client_address(request), limit=SEARCHES_PER_WINDOW,
                     window_seconds=WINDOW_SECONDS):
            return too_many(request, wait_seconds=WINDOW_SECONDS)
        query = parse_query(query_text)
        context.update(query_text=query_text, query=query)
        if query:
            results = search(query, _engine_filters(context["filters"]))
            page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
            wanted = set(query.all_keys)
            rows = [
                {
                    "document": document,
                    "title": highlight(document.title, wanted),
                    "snippet": snippet(document.text, wanted),
                }
                for document in page.object_list
            ]
            params = request.GET.copy()
            params.pop("page", None)
            params["q"] = query_text
            context.update(page=page, rows=rows, pagination_query=params.urlencode())
    return render(request, "search/search.html", context)
