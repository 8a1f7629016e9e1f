"""The site's URLs plus one view that fails, for the 500 page tests."""

from django.urls import path

from hindsight.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("a bug, on purpose")


urlpatterns = [path("__fail__/", fail), *site_urlpatterns]
