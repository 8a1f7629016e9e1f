import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hindsight.lib.http import public_page
from hindsight.lib.ratelimit import allow, too_many
from hindsight.lib.spreadsheet import csv_text
from research import formats
from research.access import researcher_required
from research.deidentify import MAX_SHIFT_DAYS, K
from research.dictionary import COLUMNS, NEVER_EXPORTED, QUASI_IDENTIFIERS, dictionary_rows
from research.forms import ExportForm
from research.models import ExportLog
from research.selectors import stories_counted
from research.services import research_export
from treatments.models import Treatment

# Each export reads the whole cohort afresh; a researcher needs a few an hour, not hundreds.
EXPORTS_PER_WINDOW = 20
WINDOW_SECONDS = 3600


def _index(request: HttpRequest, form: ExportForm, *, status: int = 200) -> HttpResponse:
    return render(request, "research/index.html", {
        "form": form,
        "treatments": [(t, stories_counted(t)) for t in Treatment.objects.order_by("name")],
        "formats": ExportLog.Format.choices,
        "exports": ExportLog.objects.filter(user=request.user).select_related("treatment")[:10],
        "never_exported": NEVER_EXPORTED,
        "k": K,
        "max_shift_months": MAX_SHIFT_DAYS // 30,
    }, status=status)


@researcher_required
def index(request: HttpRequest) -> HttpResponse:
    return _index(request, ExportForm())


@researcher_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _index(request, form, status=400)
    if not allow("research-export", str(request.user.pk), limit=EXPORTS_PER_WINDOW,
                 window_seconds=WINDOW_SECONDS):
        return too_many(request, wait_seconds=WINDOW_SECONDS)
    file = research_export(user=request.user, treatment=form.cleaned_data["treatment"],
                           fmt=form.cleaned_data["format"])
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@public_page
def dictionary(request: HttpRequest) -> HttpResponse:
    return render(request, "research/dictionary.html", {
        "columns": COLUMNS,
        "quasi_identifiers": QUASI_IDENTIFIERS,
        "never_exported": NEVER_EXPORTED,
        "k": K,
        "research_url": reverse("research:index"),
    })


@public_page
def dictionary_download(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = dictionary_rows()
    if fmt == "json":
        body = json.dumps({"columns": rows}, indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif fmt == "csv":
        body = csv_text(
            ["name", "label", "type", "reports", "description", "values",
             "also_iso_3166_country_codes"],
            ([row["name"], row["label"], row["type"], ";".join(row["reports"]),
              row["description"],
              "; ".join(f"{code} = {label}" for code, label in row["values"].items()),
              "yes" if row["also_iso_3166_country_codes"] else "no"] for row in rows),
        )
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="hindsight-data-dictionary.{fmt}"'
    return response


@public_page
def questionnaire_resource(request: HttpRequest) -> HttpResponse:
    body = json.dumps(formats.questionnaire(), indent=2, ensure_ascii=False)
    return HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
