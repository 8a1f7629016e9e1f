"""The site's addresses plus /_bench/bare/: a template of a few lines rendered by a public view
through the site's whole middleware, the framework's own ceiling. Benchmark only."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from hindsight.lib.http import public_page
from hindsight.urls import urlpatterns as site_urlpatterns

BARE = engines["django"].from_string(
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>'
    "</head><body><p>{{ text }}</p></body></html>"
)


@public_page
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE.render({"title": "Bare", "text": "Nothing but a template."}, request))


urlpatterns = [*site_urlpatterns, path("_bench/bare/", bare)]
