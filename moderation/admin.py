from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse

from moderation.models import ModerationDecision


def reason_page(model_admin, request: HttpRequest, form, queryset, *, title: str,
                single=None) -> TemplateResponse:
    """The page that asks a moderator why, before rejecting what they selected (stories,
    edits, follow-ups alike)."""
    return TemplateResponse(request, "admin/stories/story/reject.html", {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.opts,
        "form": form,
        "stories": queryset,
        "single": single,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    })


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "content_type", "object_id", "reason", "moderator"]
    list_filter = ["action", "reason", "content_type"]
    date_hierarchy = "created_at"
    list_select_related = ["moderator", "content_type"]

    # The decision log is a record: nobody edits or deletes it from the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
