import json

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hindsight.lib.http import public_page
from hindsight.lib.ratelimit import allow, too_many
from hindsight.lib.spreadsheet import csv_text
from research import formats
from research.access import researcher_required
from research.deidentify import MAX_SHIFT_DAYS, K
from research.dictionary import COLUMNS, NEVER_EXPORTED, QUASI_IDENTIFIERS, dictionary_rows
from research.forms import ExportForm
from research.models import EXPORT_KEEP_DAYS, ExportLog, ExportRequest
from research.selectors import (
    exports_recent,
    exports_state,
    exports_state_counts,
    stories_counted,
)
from research.services import (
    MAX_PENDING,
    TooManyPending,
    research_export_download,
    research_export_request,
)
from treatments.models import Treatment

# Each export reads the whole cohort afresh; a researcher needs a few an hour, not hundreds.
EXPORTS_PER_WINDOW = 20
WINDOW_SECONDS = 3600


def _exports_context(request: HttpRequest) -> dict:
    exports = exports_recent(request.user)
    return {
        "exports": exports,
        "state": exports_state(exports),
        "pending": sum(export.is_pending for export in exports),
        "ready": sum(export.status == ExportRequest.Status.READY for export in exports),
        "failed": any(export.status == ExportRequest.Status.FAILED for export in exports),
        "keep_days": EXPORT_KEEP_DAYS,
    }


def _index(request: HttpRequest, form: ExportForm, *, status: int = 200) -> HttpResponse:
    return render(request, "research/index.html", {
        "form": form,
        "treatments": [(t, stories_counted(t)) for t in Treatment.objects.order_by("name")],
        "formats": ExportLog.Format.choices,
        "never_exported": NEVER_EXPORTED,
        "k": K,
        "max_shift_months": MAX_SHIFT_DAYS // 30,
        "max_pending": MAX_PENDING,
        **_exports_context(request),
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
    treatment, fmt = form.cleaned_data["treatment"], form.cleaned_data["format"]
    try:
        research_export_request(user=request.user, treatment=treatment, fmt=fmt)
    except TooManyPending:
        form.add_error(None, _(
            "You already have %(count)s exports waiting or being built. When one of them is "
            "ready, ask again."
        ) % {"count": MAX_PENDING})
        return _index(request, form, status=429)
    messages.success(request, _(
        "Your %(format)s export of %(treatment)s is waiting to be built. Large exports take "
        "several minutes; it is listed under “Your exports” below."
    ) % {"format": ExportLog.Format(fmt).label, "treatment": treatment.name})
    return redirect("research:index")


@researcher_required
@require_GET
def exports(request: HttpRequest) -> HttpResponse:
    """The list of the researcher's exports, for the page to update itself while some are
    being built (htmx): 204 if nothing changed since the page's `state`. Without htmx, the
    whole page afresh, at the list ("Refresh" links here because a link to the page's own
    address and #exports would only scroll)."""
    if not request.htmx:
        return redirect(reverse("research:index") + "#exports")
    context = _exports_context(request)
    state = request.GET.get("state", "")
    if state == context["state"]:
        return HttpResponse(status=204)
    # The status line is announced by screen readers: changed only when what it says does.
    announce = exports_state_counts(state) != (context["pending"], context["ready"])
    return render(request, "research/_exports.html", {**context, "announce": announce})


@researcher_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(ExportRequest.objects.select_related("treatment"),
                               pk=pk, user=request.user)
    found = research_export_download(export=export, user=request.user)
    if found is None:
        messages.error(request, _(
            "That export cannot be downloaded: it is not ready, or it has been deleted. Its "
            "status is shown under “Your exports”."
        ))
        return redirect("research:index")
    response = FileResponse(found.file, as_attachment=True, filename=found.filename,
                            content_type=found.content_type)
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
