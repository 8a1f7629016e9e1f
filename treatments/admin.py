from django.contrib import admin

from treatments.models import EvidenceItem, Treatment


class EvidenceItemInline(admin.StackedInline):
    model = EvidenceItem
    extra = 0
    fields = ["order", "kind", "name", "published", "findings", "citation", "url"]


@admin.register(Treatment)
class TreatmentAdmin(admin.ModelAdmin):
    inlines = [EvidenceItemInline]
    list_display = ["name", "slug", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
