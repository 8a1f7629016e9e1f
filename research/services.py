from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from research import formats
from research.deidentify import deidentify
from research.models import ExportLog
from research.selectors import date_shift_days, research_episodes
from treatments.models import Treatment


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: str
    log: ExportLog


_CONTENT_TYPES = {
    ExportLog.Format.CSV: ("text/csv; charset=utf-8", "csv"),
    ExportLog.Format.JSON: ("application/json; charset=utf-8", "json"),
    ExportLog.Format.FHIR: ("application/fhir+json; charset=utf-8", "fhir.json"),
}


def research_export(*, user: AbstractBaseUser, treatment: Treatment, fmt: str) -> ExportFile:
    """Build a de-identified export of one treatment's counted people, from the database as it
    is now, and log it. The log row is written only once the file is complete (for FHIR: once
    it has validated)."""
    result = deidentify(research_episodes(treatment), shift_days=date_shift_days)
    if fmt == ExportLog.Format.CSV:
        content = formats.export_csv(result)
    elif fmt == ExportLog.Format.JSON:
        content = formats.export_json(result, treatment.slug)
    elif fmt == ExportLog.Format.FHIR:
        content = formats.export_fhir(result)
    else:
        raise ValueError(f"Unknown export format: {fmt!r}")
    log = ExportLog(
        user=user, username=user.get_username(), treatment=treatment, format=fmt,
        rows=len(result.rows), people=result.people,
        people_considered=result.people_considered,
        people_generalised=result.people_generalised, people_dropped=result.people_dropped,
        generalisation=result.levels,
    )
    log.full_clean()
    with transaction.atomic():
        log.save()
    content_type, extension = _CONTENT_TYPES[fmt]
    day = timezone.localdate().isoformat()
    return ExportFile(f"hindsight-{treatment.slug}-{day}.{extension}", content_type, content, log)
