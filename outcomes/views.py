import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from hindsight.lib.http import public_page
from hindsight.lib.spreadsheet import csv_text
from outcomes import charts, downloads, findings
from outcomes.releases import released_figures, treatment_key
from treatments.models import Treatment


def _released(treatment):
    """The latest release's figures for this treatment, or None before the first release."""
    return released_figures(treatment_key(treatment.pk))


@public_page
def outcomes_page(request: HttpRequest, slug: str) -> HttpResponse:
    treatment = get_object_or_404(Treatment, slug=slug)
    released = _released(treatment)
    if released is None:
        return render(request, "outcomes/not_released.html", {"treatment": treatment})
    summary = released.figures.summary
    return render(request, "outcomes/page.html", {
        "treatment": treatment, "summary": summary, "panels": released.figures.panels,
        "release": released,
        "findings": findings.headline_findings(summary),
        "benefit_finding": findings.benefit_finding(summary.benefit_lasting),
        "relapse_finding": findings.relapse_finding(summary.relapse_free),
        "invented": summary.invented,
        "download_tables": [
            ("over-time", _("Overall result over time")),
            ("benefit-lasting", _("How long benefit lasted")),
            ("relapse-free", _("Time to a first relapse")),
            ("symptoms", _("Symptoms")),
            ("complications", _("Complications")),
            ("groups", _("By group")),
        ],
    })


@public_page
def chart(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    treatment = get_object_or_404(Treatment, slug=slug)
    draw = {"better-over-time": charts.better_over_time_svg,
            "benefit-lasting": charts.benefit_lasting_svg}.get(name)
    released = _released(treatment)
    if draw is None or released is None:
        return HttpResponse(status=404)
    response = HttpResponse(draw(released.figures.summary), content_type="image/svg+xml")
    # An SVG opened as a document could run script; ours has none, and this says so.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@public_page
def table_download(request: HttpRequest, slug: str, table: str, fmt: str) -> HttpResponse:
    treatment = get_object_or_404(Treatment, slug=slug)
    released = _released(treatment)
    if table not in downloads.TABLES or fmt not in ("csv", "json") or released is None:
        return HttpResponse(status=404)
    summary = released.figures.summary
    header, rows = downloads.table_rows(summary, table)
    as_of = released.released_at
    if fmt == "json":
        body = json.dumps({
            "treatment": treatment.slug,
            "table": table,
            "figures_as_of": as_of.isoformat(),
            "release": released.number,
            "hidden_below": summary.threshold,
            "note": "Self-reported by people who chose the procedure; null = hidden count.",
            "rows": [dict(zip(header, row, strict=True)) for row in rows],
        }, indent=2)
        response = HttpResponse(body, content_type="application/json")
    else:
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{treatment.slug}-{table}-{as_of:%Y-%m-%d}.{fmt}"')
    return response
