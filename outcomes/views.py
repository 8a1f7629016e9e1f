from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from hindsight.lib.http import public_page
from outcomes import charts
from outcomes.selectors import outcomes_summary
from outcomes.transparency import (
    followup_moderation_counts,
    moderation_panel,
    story_moderation_counts,
)
from treatments.models import Treatment

CACHE_SECONDS = 300


def summary_cache_key(treatment: Treatment) -> str:
    return f"outcomes:summary:{treatment.pk}"


def forget_summary(treatment_id: int) -> None:
    """New numbers are due: an approval, a withdrawal, a consent changed, an erasure."""
    cache.delete(f"outcomes:summary:{treatment_id}")


def _summary(treatment: Treatment):
    """Computed once and kept for a few minutes; approvals and consent changes clear it."""
    key = summary_cache_key(treatment)
    summary = cache.get(key)
    if summary is None:
        summary = outcomes_summary(treatment)
        cache.set(key, summary, CACHE_SECONDS)
    return summary


@public_page
def outcomes_page(request: HttpRequest, slug: str) -> HttpResponse:
    treatment = get_object_or_404(Treatment, slug=slug)
    summary = _summary(treatment)
    panels = cache.get(f"outcomes:moderation:{treatment.pk}")
    if panels is None:
        panels = {
            "stories": moderation_panel(story_moderation_counts(treatment), summary.threshold),
            "followups": moderation_panel(followup_moderation_counts(treatment),
                                          summary.threshold),
        }
        cache.set(f"outcomes:moderation:{treatment.pk}", panels, CACHE_SECONDS)
    return render(request, "outcomes/page.html",
                  {"treatment": treatment, "summary": summary, "panels": panels})


@public_page
def chart(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    treatment = get_object_or_404(Treatment, slug=slug)
    draw = {"better-over-time": charts.better_over_time_svg,
            "benefit-lasting": charts.benefit_lasting_svg}.get(name)
    if draw is None:
        return HttpResponse(status=404)
    response = HttpResponse(draw(_summary(treatment)), content_type="image/svg+xml")
    # An SVG opened as a document could run script; ours has none, and this says so.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
