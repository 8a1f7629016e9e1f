import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treatments.models import Treatment

EXPORT_PERMISSION = "research.export_deidentified"
RESEARCHERS_GROUP = "Researchers"
# A built export can be downloaded for this long; `manage.py prune_research_exports` then
# deletes the file.
EXPORT_KEEP_DAYS = 7


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


class ExportRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=[ExportRequest.Status.QUEUED, ExportRequest.Status.BUILDING])


class ExportRequest(models.Model):
    """A researcher's request for an export, built by the background worker into a private file
    that they download (each download writes an ExportLog row). The file goes once it expires,
    or once anyone leaves the counted data after it was built (research/receivers.py)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be built")
        EXPIRED = "expired", _("Expired and deleted")
        # Erased, or withdrawn from the statistics in any other way.
        ERASED = "erased", _("Deleted after data was withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("researcher"), on_delete=models.CASCADE,
        related_name="research_export_requests",
    )
    treatment = models.ForeignKey(
        Treatment, verbose_name=_("treatment"), on_delete=models.PROTECT, related_name="+"
    )
    format = models.CharField(_("format"), max_length=10, choices=ExportLog.Format.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED, db_index=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # When the current build began reading the database, by the database's clock: someone
    # leaving the counted data by this time may be in the file, so it is built again.
    started_at = models.DateTimeField(_("build started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # A random name inside RESEARCH_EXPORT_DIR; never shown and never part of a URL.
    file_name = models.CharField(_("file name"), max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    error = models.CharField(
        _("error code"), max_length=30, blank=True,
        help_text=_("A short code saying why the build failed; the details are in the server "
                    "log only."),
    )
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    people = models.PositiveIntegerField(_("people in the export"), null=True, blank=True)
    people_considered = models.PositiveIntegerField(_("people who could be included"),
                                                    null=True, blank=True)
    people_generalised = models.PositiveIntegerField(_("people with generalised details"),
                                                     null=True, blank=True)
    people_dropped = models.PositiveIntegerField(_("people left out to protect them"),
                                                 null=True, blank=True)
    generalisation = models.JSONField(_("generalisation levels"), default=dict, blank=True)

    objects = ExportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("research export request")
        verbose_name_plural = _("research export requests")
        indexes = [models.Index(fields=["user", "-requested_at"], name="research_req_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.get_format_display()} · {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)

    @property
    def expires_at(self) -> datetime.datetime | None:
        if self.finished_at is None:
            return None
        return self.finished_at + datetime.timedelta(days=EXPORT_KEEP_DAYS)
