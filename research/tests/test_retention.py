"""Built exports do not stay: a file goes after EXPORT_KEEP_DAYS (`prune_research_exports`),
and at once when anyone is erased, so no erased person's rows wait in a file to be
downloaded."""

import csv
import datetime
import io
import os
import secrets
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from accounts.services import author_for_email, person_erase, story_erase
from hindsight.testing import make_treatment, tasks_run_by
from research import formats
from research.models import EXPORT_KEEP_DAYS, ExportLog, ExportRequest
from research.services import STALE_AFTER, research_export_build
from research.tests.helpers import (
    ask_for_export,
    counted_story,
    download_response,
    exported,
)

pytestmark = pytest.mark.django_db

Status = ExportRequest.Status
HOUSEKEEPING = Path(__file__).resolve().parents[2] / "deploy/systemd/hindsight-housekeeping.service"


def ready_export(client, treatment, fmt="csv") -> ExportRequest:
    ask_for_export(client, treatment, fmt)
    export = ExportRequest.objects.latest("id")
    assert export.status == Status.READY
    return export


def file_of(settings, export: ExportRequest) -> Path:
    return settings.RESEARCH_EXPORT_DIR / export.file_name


def built_days_ago(export: ExportRequest, days: float) -> None:
    when = timezone.now() - datetime.timedelta(days=days)
    ExportRequest.objects.filter(pk=export.pk).update(started_at=when, finished_at=when,
                                                      requested_at=when)


def prune() -> str:
    out = io.StringIO()
    call_command("prune_research_exports", stdout=out)
    return out.getvalue()


def erasing(function, **kwargs):
    """Erase, and run what waits for the erasure to be committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(**kwargs)


def test_the_prune_deletes_files_older_than_the_limit_and_marks_them_expired(
    client, researcher, treatment, settings
):
    for _ in range(5):
        counted_story(treatment)
    old, recent = ready_export(client, treatment), ready_export(client, treatment, "json")
    old_file, recent_file = file_of(settings, old), file_of(settings, recent)
    built_days_ago(old, EXPORT_KEEP_DAYS + 0.1)
    built_days_ago(recent, EXPORT_KEEP_DAYS - 0.1)

    output = prune()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert "1 expired research export(s) deleted" in output
    assert (old.status, old.file_name) == (Status.EXPIRED, "") and not old_file.exists()
    assert recent.status == Status.READY and recent_file.exists()
    assert download_response(client, old).status_code == 302
    assert "Expired and deleted" in client.get("/research/").text
    assert "0 expired research export(s) deleted" in prune()  # a second run does nothing


def test_the_prune_marks_failed_the_builds_that_were_lost(client, researcher, treatment,
                                                          settings):
    settings.TASKS = tasks_run_by("django_tasks_db.DatabaseBackend")
    for _ in range(3):
        ask_for_export(client, treatment)
    lost_waiting, lost_building, waiting = ExportRequest.objects.order_by("id")
    long_ago = timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    ExportRequest.objects.filter(pk=lost_waiting.pk).update(requested_at=long_ago)
    ExportRequest.objects.filter(pk=lost_building.pk).update(status=Status.BUILDING,
                                                             started_at=long_ago)

    output = prune()

    assert "2 lost build(s) marked failed" in output
    assert dict(ExportRequest.objects.values_list("pk", "error")) == {
        lost_waiting.pk: "timed-out", lost_building.pk: "timed-out", waiting.pk: ""}
    # Its task, run late, leaves it failed.
    research_export_build(export_id=lost_waiting.pk)
    assert ExportRequest.objects.get(pk=lost_waiting.pk).status == Status.FAILED


def test_the_prune_deletes_stray_export_files_and_nothing_else(client, researcher, treatment,
                                                               settings):
    kept = ready_export(client, treatment)
    directory = settings.RESEARCH_EXPORT_DIR
    stray = directory / f"{secrets.token_urlsafe(32)}.csv"
    partial = directory / f".{secrets.token_urlsafe(32)}.fhir.json.part"
    young = directory / f"{secrets.token_urlsafe(32)}.json"
    other = directory / "notes.txt"
    long_ago = (timezone.now() - STALE_AFTER * 2).timestamp()
    for path in (stray, partial, young, other, file_of(settings, kept)):
        path.touch()
        if path is not young:
            os.utime(path, (long_ago, long_ago))

    output = prune()

    assert "2 stray file(s) deleted" in output
    assert not stray.exists() and not partial.exists()
    assert young.exists() and other.exists() and file_of(settings, kept).exists()


def test_the_daily_housekeeping_runs_the_prune():
    assert ("ExecStart=/srv/hindsight/.venv/bin/python manage.py prune_research_exports\n"
            in HOUSEKEEPING.read_text())


@pytest.mark.parametrize("kind", ["story", "person"])
def test_an_erasure_deletes_every_ready_file_built_before_it(client, researcher, treatment,
                                                             settings, kind):
    account = author_for_email("leaving@example.com")
    leaving = counted_story(treatment, email="leaving@example.com", author=account)
    for _ in range(5):
        counted_story(treatment)
    exports = [ready_export(client, treatment, fmt) for fmt in ("csv", "json", "fhir")]
    files = [file_of(settings, export) for export in exports]
    other_treatment = make_treatment(slug="another", name="Another treatment")
    elsewhere = ready_export(client, other_treatment)  # no one of it was erased: it goes too

    if kind == "story":
        erasing(story_erase, story=leaving)
    else:
        erasing(person_erase, user=account)

    assert not any(path.exists() for path in files)
    assert not file_of(settings, elsewhere).exists()
    assert set(ExportRequest.objects.values_list("status", "file_name")) == {
        (Status.ERASED, "")}
    assert all(download_response(client, e).status_code == 302 for e in exports)
    assert not ExportLog.objects.exists()
    page = client.get("/research/")
    assert page.text.count("Deleted after data was withdrawn") == 4
    # One built afterwards is kept, without them.
    _, text = exported(client, treatment)
    assert len(list(csv.DictReader(io.StringIO(text)))) == 5
    assert ExportRequest.objects.filter(status=Status.READY).count() == 1


def test_an_erasure_that_is_rolled_back_deletes_nothing(client, researcher, treatment,
                                                        settings):
    leaving = counted_story(treatment)
    export = ready_export(client, treatment)

    with TestCase.captureOnCommitCallbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            story_erase(story=leaving)
            raise RuntimeError("the erasure failed after all")

    assert file_of(settings, export).exists()
    assert ExportRequest.objects.get().status == Status.READY


def test_an_erasure_during_a_build_has_it_built_again_without_the_person(
    client, researcher, treatment, settings, monkeypatch
):
    settings.TASKS = tasks_run_by("django_tasks_db.DatabaseBackend")
    leaving = counted_story(treatment, result="much_worse")
    for _ in range(5):
        counted_story(treatment)
    ask_for_export(client, treatment)
    export = ExportRequest.objects.get()
    export_csv = formats.export_csv
    builds = []

    def erase_during_the_first_build(result):
        builds.append(len(result.rows))
        if len(builds) == 1:  # the rows are read; someone is erased before the file is done
            erasing(story_erase, story=leaving)
        return export_csv(result)

    monkeypatch.setattr(formats, "export_csv", erase_during_the_first_build)

    research_export_build(export_id=export.pk)

    export.refresh_from_db()
    assert builds == [6, 5]
    assert export.status == Status.READY and export.rows == 5
    assert [path.name for path in settings.RESEARCH_EXPORT_DIR.iterdir()] == [export.file_name]
    text = file_of(settings, export).read_text(encoding="utf-8")
    assert "much_worse" not in text
