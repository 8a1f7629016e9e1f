from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Hindsight moderation")
admin.site.site_title = _("Hindsight moderation")
admin.site.index_title = _("Moderation and content")

urlpatterns = [
    path("", include("pages.urls")),
    path("stories/", include("stories.urls")),
    path("treatments/", include("treatments.urls")),
    path("moderation/", admin.site.urls),
]
