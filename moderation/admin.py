from django.contrib import admin

from moderation.models import ModerationDecision


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
