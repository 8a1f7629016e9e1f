from django.contrib import admin
from django.http import HttpRequest

from pages.models import SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    """The fixed pages: moderators change their words; the set of pages is fixed by the code,
    so pages are neither added nor deleted here."""

    list_display = ["title", "slug", "updated_at"]
    fields = ["slug", "title", "summary", "body", "updated_at"]
    readonly_fields = ["slug", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
