from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.services import ip_hash, login_hash


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only: for superusers and anyone given `audit.view_auditevent`.

    Search takes an email address or an IP address and finds the events whose keyed hash
    matches, so an auditor can follow one account or one connection without the log ever
    holding either."""

    list_display = ["at", "action", "actor_id", "object_type", "object_id", "details",
                    "connection", "sign_in_name"]
    list_filter = ["action", "object_type"]
    date_hierarchy = "at"
    search_fields = ["action"]
    search_help_text = _("An email address or an IP address (matched by its keyed hash), or "
                         "an event code such as signin.failed.")
    list_per_page = 50
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        term = search_term.strip()
        if not term:
            return queryset, False
        matches = Q(action=term) | Q(login_hash=login_hash(term)) | Q(ip_hash=ip_hash(term))
        return queryset.filter(matches), False

    def _hash_link(self, field: str, value: str):
        if not value:
            return "—"
        return format_html('<a href="?{}" title="{}">{}…</a>', urlencode({field: value}),
                           _("Show every event with this hash"), value[:12])

    @admin.display(description=_("connection"), ordering="ip_hash")
    def connection(self, event: AuditEvent):
        return self._hash_link("ip_hash", event.ip_hash)

    @admin.display(description=_("sign-in name"), ordering="login_hash")
    def sign_in_name(self, event: AuditEvent):
        return self._hash_link("login_hash", event.login_hash)
