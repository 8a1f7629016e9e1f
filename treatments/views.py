from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from hindsight.lib.http import public_page
from stories.models import Story
from treatments.models import EvidenceItem, Treatment


@public_page
def treatment_list(request: HttpRequest) -> HttpResponse:
    treatments = Treatment.objects.active()
    return render(request, "treatments/list.html", {"treatments": treatments})


@public_page
def treatment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    treatment = get_object_or_404(Treatment, slug=slug)
    recent = Story.objects.public().filter(treatment=treatment).for_list()[:5]
    story_count = Story.objects.public().filter(treatment=treatment).count()
    return render(
        request,
        "treatments/detail.html",
        {"treatment": treatment, "recent_stories": recent, "story_count": story_count},
    )


@public_page
def evidence_page(request: HttpRequest, slug: str) -> HttpResponse:
    treatment = get_object_or_404(Treatment, slug=slug)
    items = list(treatment.evidence_items.all())
    sections = [
        (kind, label, [item for item in items if item.kind == kind])
        for kind, label in EvidenceItem.Kind.choices
    ]
    return render(request, "treatments/evidence.html", {
        "treatment": treatment,
        "sections": [section for section in sections if section[2]],
    })
