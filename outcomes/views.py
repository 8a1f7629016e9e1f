import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from hindsight.lib.http import public_page
from hindsight.lib.spreadsheet import csv_text
from outcomes import charts, downloads, findings
from outcomes.numbers import moderation_panels_cached, outcomes_summary_cached
from treatments.models import Treatment


@public_page
def outcomes_page(request: HttpRequest, slug: str) -> HttpResponse:
    treatment = get_object_or_404(Treatment, slug=slug)
    summary = outcomes_summary_cached(treatment)
    panels = moderation_panels_cached(treatment, summary.threshold)
    return render(request, "outcomes/page.html", {
        "treatment": treatment, "summary": summary, "panels": panels,
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
    if draw is None:
        return HttpResponse(status=404)
    response = HttpResponse(draw(outcomes_summary_cached(treatment)), content_type="image/svg+xml")
    # An SVG opened as a document could run script; ours has none, and this says so.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@public_page
def table_download(request: HttpRequest, slug: str, table: str, fmt: str) -> HttpResponse:
    treatment = get_object_or_404(Treatment, slug=slug)
    if table not in downloads.TABLES or fmt not in ("csv", "json"):
        return HttpResponse(status=404)
    summary = outcomes_summary_cached(treatment)
    header, rows = downloads.table_rows(summary, table)
    if fmt == "json":
        body = json.dumps({
            "treatment": treatment.slug,
            "table": table,
            "computed_at": summary.computed_at.isoformat(),
            "hidden_below": summary.threshold,
            "note": "Self-reported by people who chose the procedure; null = hidden count.",
            "rows": [dict(zip(header, row, strict=True)) for row in rows],
        }, indent=2)
        response = HttpResponse(body, content_type="application/json")
    else:
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{treatment.slug}-{table}.{fmt}"'
    return response
