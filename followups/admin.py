from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from followups import services
from followups.models import FollowUp
from moderation.admin import ModeratedAdmin, decision_history, reason_page
from moderation.forms import reject_form
from stories.admin import story_links
from stories.admin_forms import SymptomAnswersField, coded_choices_field
from stories.choices import Complication


class FollowUpAdminForm(forms.ModelForm):
    symptoms = SymptomAnswersField(label=_("symptoms"))
    new_complications = coded_choices_field(Complication.choices, _("new complications"))

    class Meta:
        model = FollowUp
        fields = ["reported_on", "result", "symptoms", "relapses_since_last",
                  "new_complications", "restenosis", "repeat_procedure", "started_dmt", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "cols": 100,
                                                 "class": "story-text"})}


@admin.register(FollowUp)
class FollowUpAdmin(ModeratedAdmin):
    form = FollowUpAdminForm
    list_display = ["story", "reported_on", "result", "status", "submitted_at",
                    "identifying_count"]
    list_filter = ["status", "result"]
    list_select_related = ["story"]
    search_fields = ["story__title"]
    actions = ["approve_selected", "reject_selected"]
    readonly_fields = ["story_link", "status", "submitted_at", "published_at", "history",
                       "identifying_details"]
    fields = [
        "story_link", "status", "history", "identifying_details", "reported_on", "result",
        "symptoms", "relapses_since_last", "new_complications", "restenosis",
        "repeat_procedure", "started_dmt", "body", "submitted_at", "published_at",
    ]
    identifying_fields = ["body"]
    reject_title = _("Reject this follow-up")
    reject_explanation = _("The author is not emailed; the follow-up is not shown or counted.")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_queryset(self, request):
        # Pending first: the queue is what moderators come here for.
        return super().get_queryset(request).order_by("-status", "submitted_at")

    @admin.display(description=_("Story"))
    def story_link(self, followup: FollowUp) -> str:
        return story_links(followup.story)

    @admin.display(description=_("Decisions"))
    def history(self, followup: FollowUp) -> str:
        return decision_history(followup)

    def can_publish(self, followup: FollowUp) -> bool:
        return followup.status != FollowUp.Status.APPROVED

    def can_reject(self, followup: FollowUp) -> bool:
        return followup.status != FollowUp.Status.REJECTED

    def publish(self, request, followup: FollowUp, *, changed_fields: list[str]) -> str:
        services.followup_approve(followup=followup, moderator=request.user,
                                  changed_fields=changed_fields)
        return _("Follow-up approved and published: %s") % followup

    def reject(self, request, followup: FollowUp, *, reason: str, note: str) -> None:
        services.followup_reject(followup=followup, moderator=request.user, reason=reason,
                                 note=note)

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
