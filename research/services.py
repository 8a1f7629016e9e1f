"""Research exports. A researcher asks for one on the page (`research_export_request`); the
background worker builds it into a private file (`research_export_build`); the researcher who
asked downloads it, and each download is logged (`research_export_download`). Files go after
EXPORT_KEEP_DAYS (`research_exports_prune`), and as soon as anyone leaves the counted data
(`research_exports_discard_before`, called by research/receivers.py). `research_export` builds
one at once, for the benchmark."""

import datetime
import logging
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections, transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.db.models.sql import Query
from django.utils import timezone

from research import formats
from research.deidentify import Deidentified, deidentify
from research.models import EXPORT_KEEP_DAYS, ExportLog, ExportRequest
from research.selectors import date_shift_days, research_episodes
from treatments.models import Treatment

logger = logging.getLogger(__name__)

# Exports waiting or being built at once, per researcher: each reads the whole cohort.
MAX_PENDING = 3
# A request still waiting or building after this long was lost (say, the worker restarted in
# the middle of a build): it stops counting towards MAX_PENDING and the prune marks it failed.
STALE_AFTER = datetime.timedelta(hours=2)
# Someone leaving the counted data (an erasure, say) during a build sends it back to the queue;
# after this many builds the request gives up rather than run for ever on a busy day.
MAX_BUILDS = 3

_CONTENT_TYPES = {
    ExportLog.Format.CSV: ("text/csv; charset=utf-8", "csv"),
    ExportLog.Format.JSON: ("application/json; charset=utf-8", "json"),
    ExportLog.Format.FHIR: ("application/fhir+json; charset=utf-8", "fhir.json"),
}
# Only files named like this are ever deleted from RESEARCH_EXPORT_DIR, so a mistaken setting
# (pointing it at var/ itself, say) cannot cost anything else.
_OUR_FILE = re.compile(r"\.?[A-Za-z0-9_-]{43}\.(csv|json|fhir\.json)(\.part)?")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: str
    log: ExportLog


@dataclass(frozen=True)
class ExportDownload:
    file: BinaryIO
    filename: str
    content_type: str
    log: ExportLog


@dataclass
class PruneReport:
    expired: int = 0
    timed_out: int = 0
    stray_files: int = 0


class TooManyPending(Exception):
    """The researcher already has MAX_PENDING exports waiting or being built."""


def _content(treatment: Treatment, fmt: str) -> tuple[str, Deidentified]:
    result = deidentify(research_episodes(treatment), shift_days=date_shift_days)
    if fmt == ExportLog.Format.CSV:
        content = formats.export_csv(result)
    elif fmt == ExportLog.Format.JSON:
        content = formats.export_json(result, treatment.slug)
    elif fmt == ExportLog.Format.FHIR:
        content = formats.export_fhir(result)  # raises unless the Bundle validates
    else:
        raise ValueError(f"Unknown export format: {fmt!r}")
    return content, result


def _counts(result: Deidentified) -> dict:
    return {
        "rows": len(result.rows), "people": result.people,
        "people_considered": result.people_considered,
        "people_generalised": result.people_generalised,
        "people_dropped": result.people_dropped, "generalisation": result.levels,
    }


def _log(*, user: AbstractBaseUser, treatment: Treatment, fmt: str, counts: dict) -> ExportLog:
    log = ExportLog(user=user, username=user.get_username(), treatment=treatment, format=fmt,
                    **counts)
    log.full_clean()
    with transaction.atomic():  # with its audit event, or neither
        log.save()
    return log


def _download_name(treatment: Treatment, fmt: str, day: datetime.date) -> tuple[str, str]:
    content_type, extension = _CONTENT_TYPES[fmt]
    return f"hindsight-{treatment.slug}-{day.isoformat()}.{extension}", content_type


def research_export(*, user: AbstractBaseUser, treatment: Treatment, fmt: str) -> ExportFile:
    """Build a de-identified export of one treatment's counted people, from the database as it
    is now, and log it as a download. The log row is written only once the file is complete
    (for FHIR: once it has validated). This runs in the caller's process, so the site queues
    exports instead (`research_export_request`); the benchmark times this."""
    content, result = _content(treatment, fmt)
    log = _log(user=user, treatment=treatment, fmt=fmt, counts=_counts(result))
    filename, content_type = _download_name(treatment, fmt, timezone.localdate())
    return ExportFile(filename, content_type, content, log)


def research_export_request(*, user: AbstractBaseUser, treatment: Treatment,
                            fmt: str) -> ExportRequest:
    """Note a researcher's request and queue its build, carrying only the request's id, once
    the row is committed. Raises TooManyPending if MAX_PENDING are already waiting."""
    from research.tasks import build_research_export

    with transaction.atomic():
        # Holding the researcher's row makes two requests sent at once count one after the
        # other (PostgreSQL; SQLite's write transactions are one at a time anyway).
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        pending = ExportRequest.objects.pending().filter(
            user=user, requested_at__gte=timezone.now() - STALE_AFTER
        )
        if pending.count() >= MAX_PENDING:
            raise TooManyPending
        export = ExportRequest(user=user, treatment=treatment, format=fmt)
        export.full_clean()
        export.save()
        transaction.on_commit(lambda: build_research_export.enqueue(export.pk))
    return export


def _directory() -> Path:
    return Path(settings.RESEARCH_EXPORT_DIR)


def _path(file_name: str) -> Path | None:
    if not _OUR_FILE.fullmatch(file_name or ""):
        return None
    return _directory() / file_name


def _delete(file_name: str) -> None:
    path = _path(file_name)
    if path is not None:
        path.unlink(missing_ok=True)


def _write_private(content: str, fmt: str) -> tuple[str, int]:
    """Write the file readable by the site's own user only, under a random name that it takes
    only once it is complete. Returns the name and the size in bytes."""
    directory = _directory()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(32)}.{_CONTENT_TYPES[fmt][1]}"
    partial = directory / f".{name}.part"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            os.fchmod(file.fileno(), 0o600)  # whatever the process's umask
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
            size = os.fstat(file.fileno()).st_size
        os.replace(partial, directory / name)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return name, size


def _error_code(error: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        return "invalid-fhir"
    if isinstance(error, OSError):
        return "write-failed"
    return "build-failed"


def research_export_build(*, export_id: int) -> None:
    """Build a queued export into its private file and mark it ready with its counts (run by
    the worker). A failure marks it failed with a short code; the details go to the server log
    only. Does nothing for a request that has gone or is not waiting."""
    for _build in range(MAX_BUILDS):
        # The database's clock, which `research_exports_discard_before` reads too: this
        # worker's own clock may be ahead of the web process's. Read before the claim, so
        # before any of the build's reads.
        started_at = database_now()
        claimed = ExportRequest.objects.filter(pk=export_id, status=ExportRequest.Status.QUEUED)
        if not claimed.update(status=ExportRequest.Status.BUILDING, started_at=started_at):
            return
        export = ExportRequest.objects.filter(pk=export_id).select_related("treatment").first()
        if export is None:
            return
        # Each outcome is written only if nothing changed the row meanwhile: someone leaving
        # the counted data sends it back to the queue, the prune may have given up on it.
        this_build = ExportRequest.objects.filter(
            pk=export_id, status=ExportRequest.Status.BUILDING, started_at=started_at
        )
        try:
            content, result = _content(export.treatment, export.format)
            file_name, size = _write_private(content, export.format)
        except Exception as error:
            code = _error_code(error)
            logger.exception("Research export %s could not be built (%s)", export_id, code)
            ExportRequest.objects.pending().filter(pk=export_id).update(
                status=ExportRequest.Status.FAILED, error=code, finished_at=timezone.now())
            return
        if this_build.update(status=ExportRequest.Status.READY, file_name=file_name, size=size,
                             finished_at=timezone.now(), error="", **_counts(result)):
            return
        # Someone left the counted data while it was built, so the file may hold them.
        _delete(file_name)
    ExportRequest.objects.filter(pk=export_id, status=ExportRequest.Status.QUEUED).update(
        status=ExportRequest.Status.FAILED, error="interrupted", finished_at=timezone.now()
    )


def research_export_download(*, export: ExportRequest,
                             user: AbstractBaseUser) -> ExportDownload | None:
    """Open a ready export for the researcher who asked for it and log the download, with the
    counts of when it was built. None if it is someone else's, not ready or gone. The caller
    closes the file (FileResponse does)."""
    if export.user_id != user.pk or export.status != ExportRequest.Status.READY:
        return None
    path = _path(export.file_name)
    if path is None:
        return None
    try:
        file = path.open("rb")
    except OSError:
        return None
    try:
        # An erasure may have deleted it since it was read: an open file stays readable, so
        # this is checked again now that it is open.
        if not ExportRequest.objects.filter(pk=export.pk,
                                            status=ExportRequest.Status.READY).exists():
            file.close()
            return None
        counts = {name: getattr(export, name) for name in (
            "rows", "people", "people_considered", "people_generalised", "people_dropped",
            "generalisation")}
        log = _log(user=user, treatment=export.treatment, fmt=export.format, counts=counts)
    except BaseException:
        file.close()
        raise
    filename, content_type = _download_name(export.treatment, export.format,
                                            timezone.localdate(export.finished_at))
    return ExportDownload(file, filename, content_type, log)


def database_now() -> datetime.datetime:
    """The time by the database server's clock, the one clock the web processes and the
    workers (perhaps on other machines) share. One query."""
    connection = connections[ExportRequest.objects.db]
    now = Now()
    sql, params = Query(None).get_compiler(connection=connection).compile(now)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        (value,) = cursor.fetchone()
    for converter in connection.ops.get_db_converters(now):
        value = converter(value, now, connection)
    return value


def research_exports_discard_before(*, when: datetime.datetime | None = None) -> int:
    """Once someone has left the counted data (erased, withdrawn, no longer consenting...), no
    export built from the database as it was before may be downloaded: every ready file whose
    build began by `when` is deleted, and builds that began by then start again. Returns how
    many files were deleted; a second call deletes nothing.

    `when` is the database's clock now unless given, and must only be given a time read from
    it (`database_now`): builds note their start by that clock, whatever machine they run on.
    Call it once the change is committed. A build that began in the same tick as `when`
    counts as before it, as it may have read the rows first.

    Two queries when nothing is ready or being built (three with reading the clock)."""
    when = database_now() if when is None else when
    ExportRequest.objects.filter(
        status=ExportRequest.Status.BUILDING, started_at__lte=when
    ).update(status=ExportRequest.Status.QUEUED)
    # After the builds above: one that finishes in between is ready by now, and found here.
    ready = ExportRequest.objects.filter(status=ExportRequest.Status.READY,
                                         started_at__lte=when)
    doomed = list(ready.values_list("pk", "file_name"))
    if not doomed:
        return 0
    ExportRequest.objects.filter(pk__in=[pk for pk, _ in doomed],
                                 status=ExportRequest.Status.READY).update(
        status=ExportRequest.Status.ERASED, file_name="")
    for _pk, file_name in doomed:
        _delete(file_name)
    return len(doomed)


def research_exports_prune(*, now: datetime.datetime | None = None) -> PruneReport:
    """Delete the files of exports older than EXPORT_KEEP_DAYS and mark them expired; mark
    failed the requests that were lost on the way; delete files no ready export names (left by
    a build that was killed, or by a researcher's account being deleted)."""
    now = now or timezone.now()
    report = PruneReport()
    report.timed_out = ExportRequest.objects.filter(
        Q(status=ExportRequest.Status.QUEUED, requested_at__lt=now - STALE_AFTER)
        | Q(status=ExportRequest.Status.BUILDING, started_at__lt=now - STALE_AFTER)
    ).update(status=ExportRequest.Status.FAILED, error="timed-out", finished_at=now)
    expired = list(ExportRequest.objects.filter(
        status=ExportRequest.Status.READY,
        finished_at__lt=now - datetime.timedelta(days=EXPORT_KEEP_DAYS),
    ).values_list("pk", "file_name"))
    ExportRequest.objects.filter(pk__in=[pk for pk, _ in expired],
                                 status=ExportRequest.Status.READY).update(
        status=ExportRequest.Status.EXPIRED, file_name="")
    for _pk, file_name in expired:
        _delete(file_name)
    report.expired = len(expired)
    report.stray_files = _delete_stray_files(now)
    return report


def _delete_stray_files(now: datetime.datetime) -> int:
    directory = _directory()
    if not directory.is_dir():
        return 0
    wanted = set(ExportRequest.objects.filter(status=ExportRequest.Status.READY)
                 .values_list("file_name", flat=True))
    # Younger files may belong to a build that is about to mark its request ready.
    before = (now - STALE_AFTER).timestamp()
    deleted = 0
    for path in directory.iterdir():
        if (_OUR_FILE.fullmatch(path.name) and path.name not in wanted and path.is_file()
                and path.stat().st_mtime < before):
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
