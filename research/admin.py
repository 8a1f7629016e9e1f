from django.contrib import admin

from hindsight.lib.admin import ReadOnlyAdmin
from research.models import ExportLog, ExportRequest


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    """The log of research downloads: read-only, for everyone."""

    list_display = ["created_at", "username", "treatment", "format", "rows", "people",
                    "people_generalised", "people_dropped"]
    list_filter = ["format", "treatment"]
    search_fields = ["username"]
    date_hierarchy = "created_at"


@admin.register(ExportRequest)
class ExportRequestAdmin(ReadOnlyAdmin):
    """Exports asked for and their builds, to see what the worker is doing: read-only (the
    worker and the daily prune change them)."""

    list_display = ["requested_at", "user", "treatment", "format", "status", "error", "rows",
                    "people", "finished_at"]
    list_filter = ["status", "format", "treatment"]
