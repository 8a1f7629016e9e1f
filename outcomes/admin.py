from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from hindsight.lib.admin import ReadOnlyAdmin
from outcomes.models import OutcomesRelease
from outcomes.releases import release_outcomes


@admin.register(OutcomesRelease)
class OutcomesReleaseAdmin(ReadOnlyAdmin):
    """The releases of the published figures, newest first, and a button to release now (made
    only if the rules allow; the message says why not otherwise). Read-only."""

    list_display = ["number", "released_at", "trigger", "pages_updated", "pages_kept", "people",
                    "people_changed"]
    fields = list_display
    change_list_template = "admin/outcomes/outcomesrelease/change_list.html"

    def get_urls(self):
        return [path("release/", self.admin_site.admin_view(self.release_now),
                     name="outcomes_outcomesrelease_release"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "can_release": request.user.has_perm("outcomes.release_figures")}
        return super().changelist_view(request, extra_context)

    def release_now(self, request):
        if not request.user.has_perm("outcomes.release_figures"):
            raise PermissionDenied
        return _release_now(request)


@require_POST
def _release_now(request):
    decision = release_outcomes(OutcomesRelease.Trigger.MODERATOR)
    messages.add_message(request, messages.SUCCESS if decision.made else messages.WARNING,
                         decision.message)
    return redirect("admin:outcomes_outcomesrelease_changelist")
