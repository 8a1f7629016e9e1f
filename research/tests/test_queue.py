"""Asking for an export queues it; the worker builds it into a private file; only the
researcher who asked downloads it, once it is ready. Failures say so with a code, never with
details; at most a few wait at once."""

import csv
import io
import logging
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import Action, AuditEvent
from hindsight.testing import make_treatment, sign_in_moderator, tasks_run_by
from research import formats
from research import views as research_views
from research.dictionary import COLUMN_NAMES
from research.models import ExportLog, ExportRequest
from research.services import MAX_PENDING, STALE_AFTER
from research.tests.helpers import (
    ask_for_export,
    counted_story,
    download_response,
    exported,
    make_researcher,
)

pytestmark = pytest.mark.django_db

DATABASE_TASKS = tasks_run_by("django_tasks_db.DatabaseBackend")
Status = ExportRequest.Status


@pytest.fixture
def queue_only(settings):
    """Tasks wait in the database queue for a worker, as on the site."""
    settings.TASKS = DATABASE_TASKS


def six_people(treatment):
    return [counted_story(treatment, email=f"person{n}@private.example") for n in range(6)]


def files_in(settings) -> list:
    directory = settings.RESEARCH_EXPORT_DIR
    return sorted(directory.iterdir()) if directory.exists() else []


# The worker closes its database connection when it finishes, as a real worker process does;
# that needs a test without a wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_export_and_then_its_researcher_downloads_it(client, settings):
    settings.TASKS = DATABASE_TASKS
    treatment = make_treatment()
    six_people(treatment)
    researcher = make_researcher()
    sign_in_moderator(client, researcher)

    response = client.post("/research/export/", {"treatment": treatment.slug, "format": "csv"})

    assert response.status_code == 302 and response["Location"] == "/research/"
    export = ExportRequest.objects.get()
    assert (export.user, export.treatment, export.format, export.status) == (
        researcher, treatment, "csv", Status.QUEUED)
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [export.pk], "kwargs": {}}  # the id, nothing else
    page = client.get("/research/")
    assert "Your CSV export of" in page.text and "is waiting to be built" in page.text
    assert "Large exports take several minutes" in page.text
    assert "1 export is waiting or being built." in page.text and ">Refresh</a>" in page.text
    assert download_response(client, export).status_code == 302  # not yet
    assert not ExportLog.objects.exists() and files_in(settings) == []

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "research",
                 verbosity=0)

    export.refresh_from_db()
    assert export.status == Status.READY and DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert (export.rows, export.people, export.people_considered, export.people_dropped) == (
        6, 6, 6, 0)
    path = settings.RESEARCH_EXPORT_DIR / export.file_name
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}\.csv", export.file_name)
    assert files_in(settings) == [path]  # nothing half-written beside it
    assert path.stat().st_mode & 0o777 == 0o600
    assert settings.RESEARCH_EXPORT_DIR.stat().st_mode & 0o777 == 0o700
    page = client.get("/research/")
    assert "1 export is ready to download." in page.text and "Refresh" not in page.text
    assert f'href="/research/exports/{export.pk}/download/"' in page.text

    response = download_response(client, export)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert re.fullmatch(rf'attachment; filename="hindsight-{treatment.slug}-'
                        r'\d{4}-\d\d-\d\d\.csv"', response["Content-Disposition"])
    body = b"".join(response.streaming_content)
    assert body == path.read_bytes()
    text = body.decode()
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == COLUMN_NAMES and len(table) == 7
    assert "private.example" not in text
    log = ExportLog.objects.get()
    assert (log.user, log.username, log.treatment, log.format) == (
        researcher, researcher.username, treatment, "csv")
    assert (log.rows, log.people, log.people_generalised, log.people_dropped) == (
        export.rows, export.people, export.people_generalised, export.people_dropped)
    assert log.generalisation == export.generalisation
    event = AuditEvent.objects.get(action=Action.EXPORT_RESEARCH)
    assert event.actor_id == researcher.pk and event.object_type == "research.exportlog"
    assert event.details == {"format": "csv", "treatment_id": treatment.pk, "rows": 6,
                             "people": 6, "people_dropped": 0}


def test_each_format_is_built_and_downloaded(client, researcher, treatment):
    six_people(treatment)

    for fmt, extension, content_type in (
        ("csv", "csv", "text/csv"), ("json", "json", "application/json"),
        ("fhir", "fhir.json", "application/fhir+json"),
    ):
        response, text = exported(client, treatment, fmt)
        export = ExportRequest.objects.latest("id")
        assert export.file_name.endswith(f".{extension}")
        assert response["Content-Type"] == f"{content_type}; charset=utf-8"
        assert response["Content-Disposition"].endswith(f'.{extension}"')
        assert export.size == len(text.encode())
    assert ExportLog.objects.count() == 3


def test_someone_elses_export_is_not_found(client, researcher, treatment):
    six_people(treatment)
    ask_for_export(client, treatment)
    export = ExportRequest.objects.get()
    other = make_researcher("other-researcher")
    sign_in_moderator(client, other)

    response = download_response(client, export)
    page = client.get("/research/")

    assert response.status_code == 404
    assert download_response(client, ExportRequest(pk=export.pk + 1)).status_code == 404
    assert f"/research/exports/{export.pk}/" not in page.text
    assert "You have not asked for an export yet." in page.text
    assert not ExportLog.objects.exists()


def test_an_export_that_is_not_ready_cannot_be_downloaded(client, researcher, treatment,
                                                          queue_only):
    ask_for_export(client, treatment)
    export = ExportRequest.objects.get()

    for status in (Status.QUEUED, Status.BUILDING, Status.FAILED, Status.EXPIRED,
                   Status.ERASED):
        ExportRequest.objects.filter(pk=export.pk).update(status=status)
        response = download_response(client, export)
        assert response.status_code == 302 and response["Location"] == "/research/", status
    page = client.get("/research/")

    assert "That export cannot be downloaded" in page.text
    assert client.head(f"/research/exports/{export.pk}/download/").status_code == 405
    assert not ExportLog.objects.exists()


def test_a_ready_export_whose_file_has_gone_is_not_a_server_error(client, researcher,
                                                                  treatment, settings):
    six_people(treatment)
    ask_for_export(client, treatment)
    export = ExportRequest.objects.get()
    (settings.RESEARCH_EXPORT_DIR / export.file_name).unlink()

    response = download_response(client, export)

    assert response.status_code == 302
    assert not ExportLog.objects.exists()


def test_a_build_that_fails_is_shown_failed_with_a_code_and_no_details(
    client, researcher, treatment, settings, monkeypatch, caplog
):
    six_people(treatment)
    broken = formats._response

    def without_status(row, canonical, system):
        response = broken(row, canonical, system)
        del response["status"]
        return response

    monkeypatch.setattr(formats, "_response", without_status)

    with caplog.at_level(logging.ERROR, logger="research.services"):
        assert ask_for_export(client, treatment, "fhir").status_code == 302
    page = client.get("/research/")

    export = ExportRequest.objects.get()
    assert (export.status, export.error, export.file_name) == (Status.FAILED, "invalid-fhir", "")
    assert "Could not be built" in page.text and "<code>invalid-fhir</code>" in page.text
    for detail in ("ValidationError", "Traceback", "field required", "value_error", "pydantic"):
        assert detail not in page.text.split('id="exports"')[1], detail
    assert "invalid-fhir" in caplog.text and "Traceback" in caplog.text  # for the admins
    assert download_response(client, export).status_code == 302
    assert files_in(settings) == [] and not ExportLog.objects.exists()


def test_a_file_that_cannot_be_written_fails_the_build_and_leaves_nothing(
    client, researcher, treatment, settings
):
    six_people(treatment)
    blocker = settings.RESEARCH_EXPORT_DIR.parent / "not-a-directory"
    blocker.write_text("")
    settings.RESEARCH_EXPORT_DIR = blocker / "exports"

    ask_for_export(client, treatment)

    export = ExportRequest.objects.get()
    assert (export.status, export.error) == (Status.FAILED, "write-failed")
    assert export.rows is None and not ExportLog.objects.exists()


def test_a_few_exports_may_wait_at_once_and_more_are_refused_with_a_message(
    client, researcher, treatment, queue_only
):
    for _ in range(MAX_PENDING):
        assert ask_for_export(client, treatment).status_code == 302

    refused = ask_for_export(client, treatment, "json")

    assert refused.status_code == 429
    assert f"You already have {MAX_PENDING} exports waiting or being built" in refused.text
    assert 'role="alert"' in refused.text
    assert ExportRequest.objects.count() == MAX_PENDING == DBTaskResult.objects.count()
    # Another researcher is not held up by these.
    other = make_researcher("other-researcher")
    sign_in_moderator(client, other)
    assert ask_for_export(client, treatment).status_code == 302


def test_requests_lost_long_ago_no_longer_hold_up_new_ones(client, researcher, treatment,
                                                           queue_only):
    for _ in range(MAX_PENDING):
        ask_for_export(client, treatment)
    ExportRequest.objects.update(requested_at=timezone.now() - STALE_AFTER * 2)

    assert ask_for_export(client, treatment).status_code == 302


def test_the_rate_limit_still_counts_every_request(client, researcher, treatment, monkeypatch,
                                                   queue_only):
    monkeypatch.setattr(research_views, "EXPORTS_PER_WINDOW", 1)
    assert ask_for_export(client, treatment).status_code == 302

    response = ask_for_export(client, treatment)

    assert response.status_code == 429 and "Please wait" in response.text
    assert ExportRequest.objects.count() == 1


def test_the_build_does_nothing_for_a_request_that_is_gone_or_already_built(
    client, researcher, treatment, queue_only
):
    from research.tasks import build_research_export

    six_people(treatment)
    ask_for_export(client, treatment)
    export = ExportRequest.objects.get()
    build_research_export.call(export.pk)
    first = ExportRequest.objects.get().file_name

    build_research_export.call(export.pk)  # a task run twice
    build_research_export.call(export.pk + 1)  # a request deleted with its researcher

    assert ExportRequest.objects.get().file_name == first
    assert ExportRequest.objects.get().status == Status.READY


def test_the_list_updates_itself_only_when_something_changed(client, researcher, treatment,
                                                             queue_only):
    from research.tasks import build_research_export

    six_people(treatment)
    ask_for_export(client, treatment)
    export = ExportRequest.objects.get()
    page = client.get("/research/")
    assert "vendor/htmx/" in page.text  # only while something is waiting
    poll = re.search(r'hx-get="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    htmx = {"HX-Request": "true"}

    unchanged = client.get(poll, headers=htmx)
    ExportRequest.objects.filter(pk=export.pk).update(status=Status.BUILDING)
    building = client.get(poll, headers=htmx)
    ExportRequest.objects.filter(pk=export.pk).update(status=Status.QUEUED)
    build_research_export.call(export.pk)
    changed = client.get(poll, headers=htmx)

    assert unchanged.status_code == 204
    # Still one waiting: the table changes, the status line (read out) is left alone.
    assert building.status_code == 200 and "Being built" in building.text
    assert "hx-swap-oob" not in building.text and "hx-get" in building.text
    assert changed.status_code == 200
    assert 'id="exports-status" hx-swap-oob="innerHTML"' in changed.text
    assert "1 export is ready to download." in changed.text
    assert "hx-get" not in changed.text  # nothing left to wait for: it stops asking
    refresh = client.get("/research/exports/")  # without htmx: the page itself, at the list
    assert refresh.status_code == 302 and refresh["Location"] == "/research/#exports"
    assert "vendor/htmx/" not in client.get("/research/").text
