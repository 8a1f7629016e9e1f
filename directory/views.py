from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from directory import selectors, services
from directory.forms import CorrectionForm, EntryFilterForm, NewEntryForm
from directory.models import DirectoryEntry, EntrySuggestion
from hindsight.lib.http import public_page
from hindsight.lib.ratelimit import allow, client_address
from outcomes.releases import entry_key, released_figures

STORIES_PER_PAGE = 20
# Someone suggests an entry or two and a few corrections; a script sends hundreds.
SUGGESTIONS_PER_WINDOW = 10
WINDOW_SECONDS = 3600
# Reading the form and typing a suggestion takes longer than this; a script posts at once.
MIN_SECONDS_TO_WRITE = 3


@public_page
def entry_list(request: HttpRequest) -> HttpResponse:
    filter_form = EntryFilterForm(request.GET or None, countries=selectors.entry_countries())
    filters = filter_form.filters() if request.GET else {}
    entries = selectors.entries_published().filter(**filters)
    return render(request, "directory/list.html", {
        "filter_form": filter_form,
        "filters": filters,
        "ignored_filters": bool(request.GET) and not filter_form.is_valid(),
        "entries": entries,
    })


@public_page
def entry_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(
        DirectoryEntry.objects.published().prefetch_related("sources", "treatments"), slug=slug
    )
    page = Paginator(selectors.entry_stories_public(entry), STORIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # Its results come from the latest release of the figures, like every published number.
    released = released_figures(entry_key(entry.pk))
    return render(request, "directory/detail.html", {
        "entry": entry,
        "page": page,
        "results": released.figures if released else None,
        "release": released,
    })


@public_page
@require_safe
def entry_lookup(request: HttpRequest) -> JsonResponse:
    field = "where" if request.GET.get("field") == "where" else "who"
    results = selectors.entry_lookup(q=request.GET.get("q", ""), field=field)
    return JsonResponse({"results": results})


def _suggest_page(request: HttpRequest, form, entry: DirectoryEntry | None,
                  status: int = 200, **flags: bool) -> HttpResponse:
    return render(request, "directory/suggest.html", {"form": form, "entry": entry, **flags},
                  status=status)


def _suggest(request: HttpRequest, form_class, entry: DirectoryEntry | None) -> HttpResponse:
    if request.method != "POST":
        initial = {"shown_at": form_class.shown_at_token()}
        return _suggest_page(request, form_class(initial=initial), entry)
    form = form_class(request.POST)
    if not form.is_valid():
        return _suggest_page(request, form, entry)
    seconds = form.seconds_to_write()
    if seconds is None or seconds < MIN_SECONDS_TO_WRITE:
        # Shown again with a fresh timestamp: a person presses Send once more, a script rarely.
        data = request.POST.copy()
        data["shown_at"] = form_class.shown_at_token()
        return _suggest_page(request, form_class(data), entry, too_fast=True)
    if not allow("directory-suggest", client_address(request), limit=SUGGESTIONS_PER_WINDOW,
                 window_seconds=WINDOW_SECONDS):
        return _suggest_page(request, form, entry, status=429, too_many=True)
    if form.cleaned_data["website"]:
        # A bot filled the hidden field: it sees the thank-you page, and nothing is kept.
        return redirect("directory:suggest-sent")
    kind = EntrySuggestion.Kind.CORRECTION if entry else EntrySuggestion.Kind.NEW
    services.suggestion_submit(kind=kind, entry=entry, **form.suggestion_fields())
    return redirect("directory:suggest-sent")


@require_http_methods(["GET", "HEAD", "POST"])
def suggest_new(request: HttpRequest) -> HttpResponse:
    return _suggest(request, NewEntryForm, None)


@require_http_methods(["GET", "HEAD", "POST"])
def suggest_correction(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(DirectoryEntry.objects.published(), slug=slug)
    return _suggest(request, CorrectionForm, entry)


def suggest_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/suggest_sent.html")
