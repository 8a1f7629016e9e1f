"""Shared pieces of the moderation admin."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list to read, for rows that only the site itself writes (logs, releases)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
