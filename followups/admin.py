from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from followups import services
from followups.models import FollowUp
from moderation.admin import reason_page
from moderation.forms import reject_form
from moderation.models import Action
from moderation.services import decision_record


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["story", "reported_on", "result", "status", "submitted_at"]
    list_filter = ["status", "result"]
    list_select_related = ["story"]
    search_fields = ["story__title"]
    actions = ["approve_selected", "reject_selected"]
    readonly_fields = ["story", "status", "submitted_at", "published_at"]
    fields = [
        "story", "status", "reported_on", "result", "symptoms", "relapses_since_last",
        "new_complications", "restenosis", "repeat_procedure", "started_dmt", "body",
        "submitted_at", "published_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_queryset(self, request):
        # Pending first: the queue is what moderators come here for.
        return super().get_queryset(request).order_by("-status", "submitted_at")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            decision_record(subject=obj, action=Action.EDIT, moderator=request.user,
                            changed_fields=list(form.changed_data))

    @admin.action(description=_("Approve the selected follow-ups"), permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[FollowUp]) -> None:
        approved = 0
        for followup in queryset:
            try:
                services.followup_approve(followup=followup, moderator=request.user)
                approved += 1
            except ValidationError:
                pass
        self.message_user(
            request,
            ngettext("Approved %d follow-up.", "Approved %d follow-ups.", approved) % approved,
        )

    @admin.action(description=_("Reject the selected follow-ups…"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[FollowUp]):
        form = reject_form(request)
        if form.is_valid():
            for followup in queryset:
                services.followup_reject(
                    followup=followup, moderator=request.user,
                    reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
                )
            self.message_user(request, _("Rejected."), messages.SUCCESS)
            return HttpResponseRedirect(request.get_full_path())
        return reason_page(self, request, form, queryset, title=_("Reject follow-ups"))
