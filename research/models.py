from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treatments.models import Treatment

EXPORT_PERMISSION = "research.export_deidentified"
RESEARCHERS_GROUP = "Researchers"


class ExportLog(models.Model):
    """One research download: who, when, what and how much. Rows are only added."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        JSON = "json", _("JSON")
        FHIR = "fhir", _("FHIR R4 Bundle (JSON)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("researcher"), null=True,
        on_delete=models.SET_NULL, related_name="research_exports",
    )
    # Kept as written, so the log still says who after an account is deleted.
    username = models.CharField(_("researcher's username"), max_length=150)
    created_at = models.DateTimeField(_("downloaded at"), default=timezone.now, db_index=True)
    treatment = models.ForeignKey(
        Treatment, verbose_name=_("treatment"), on_delete=models.PROTECT, related_name="+"
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    rows = models.PositiveIntegerField(_("rows"))
    people = models.PositiveIntegerField(_("people in the export"))
    people_considered = models.PositiveIntegerField(_("people who could be included"))
    people_generalised = models.PositiveIntegerField(_("people with generalised details"))
    people_dropped = models.PositiveIntegerField(_("people left out to protect them"))
    generalisation = models.JSONField(
        _("generalisation levels"), default=dict, blank=True,
        help_text=_("For each detail that could identify someone: 0 as given, higher is "
                    "coarser."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("research export")
        verbose_name_plural = _("research exports")
        permissions = [
            ("export_deidentified", "Can download de-identified research exports"),
        ]

    def __str__(self) -> str:
        return f"{self.username} · {self.get_format_display()} · {self.created_at:%Y-%m-%d %H:%M}"
