from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hindsight.lib.http import public_page
from stories.models import Story
from treatments.models import Treatment


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/home.html",
        {
            "treatments": Treatment.objects.active(),
            "recent_stories": Story.objects.public().for_list()[:5],
        },
    )
