from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from moderation.home import with_waiting_queues

admin.site.site_header = _("Hindsight moderation")
admin.site.site_title = _("Hindsight moderation")
admin.site.index_title = _("Moderation and content")
# Moderators sign in through the site's sign-in pages, which add the second factor.
admin.site.login = secure_admin_login(admin.site.login)
# The index opens with what waits for moderators, each queue with its count and oldest item.
admin.site.index = with_waiting_queues(admin.site.index)

urlpatterns = [
    path("", include("pages.urls")),
    path("stories/", include("stories.urls")),
    path("treatments/", include("treatments.urls")),
    path("my/", include("accounts.urls")),
    path("reminders/", include("followups.urls")),
    path("comments/", include("discussion.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("articles/", include("articles.urls")),
    path("directory/", include("directory.urls")),
    path("search/", include("search.urls")),
    path("research/", include("research.urls")),
    path("accounts/", include("allauth.urls")),
    path("moderation/", admin.site.urls),
]
