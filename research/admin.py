from django.contrib import admin

from research.models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """The log of research downloads: read-only, for everyone."""

    list_display = ["created_at", "username", "treatment", "format", "rows", "people",
                    "people_generalised", "people_dropped"]
    list_filter = ["format", "treatment"]
    search_fields = ["username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
