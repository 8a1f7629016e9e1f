"""Every string of the shared bad-input corpora sent to the export form, as the treatment and
as the format: never a 500, never a request row, a queued task, a file or a log row, and the
page that explains the refusal is made of nothing a benign refusal is not made of. The same
strings in the addresses of the export list and of a download are refused as plainly."""

from urllib.parse import quote

import pytest
from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from hindsight.hostile import Baseline, Page, load_corpora
from hindsight.testing import make_treatment, sign_in_moderator, tasks_run_by
from research.models import ExportLog, ExportRequest
from research.tests.helpers import counted_story, make_researcher

pytestmark = pytest.mark.django_db

STRINGS = load_corpora()


def test_hostile_strings_in_the_export_form_are_refused_on_the_page(client, settings):
    # Tasks would wait in the database, where they can be counted.
    settings.TASKS = tasks_run_by("django_tasks_db.DatabaseBackend")
    treatment = make_treatment()
    sign_in_moderator(client, make_researcher())
    baseline = Baseline()
    problems = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        for data in ({"treatment": "no-such-treatment", "format": "xlsx"},
                     {"treatment": treatment.slug, "format": "xlsx"}, {}):
            response = client.post("/research/export/", data)
            assert response.status_code == 400
            baseline.add(response.content.decode())

        for source, number, text in STRINGS:
            for data in ({"treatment": text, "format": text},
                         {"treatment": treatment.slug, "format": text}):
                response = client.post("/research/export/", data)
                label = f"{source}#{number} {sorted(data)}"
                if response.status_code != 400:
                    problems.append(f"{label}: HTTP {response.status_code}")
                    continue
                page = Page(response.content.decode())
                problems += [f"{label}: handler {h}" for h in page.handlers]
                problems += [f"{label}: script URL {u}" for u in page.script_urls]
                problems += [f"{label}: new element <{tag} {' '.join(sorted(names))}>"
                             for tag, names in page.elements - baseline.elements]

    assert not problems, "\n".join(problems[:50])
    assert not ExportRequest.objects.exists() and not DBTaskResult.objects.exists()
    assert not ExportLog.objects.exists()
    directory = settings.RESEARCH_EXPORT_DIR
    assert not directory.exists() or not any(directory.iterdir())


def test_hostile_strings_in_the_list_and_download_addresses_are_refused_plainly(client,
                                                                                settings):
    treatment = make_treatment()
    for _ in range(5):
        counted_story(treatment)
    sign_in_moderator(client, make_researcher())
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/research/export/", {"treatment": treatment.slug, "format": "csv"})
    export = ExportRequest.objects.get()
    htmx = {"HX-Request": "true"}

    def the_list(response) -> bytes:  # without the status line, sent only when it changes
        return response.content.split(b'<div id="export-list"')[1]

    benign = the_list(client.get("/research/exports/?state=nothing", headers=htmx))

    problems = []
    for source, number, text in STRINGS:
        label = f"{source}#{number}"
        listed = client.get(f"/research/exports/?state={quote(text, safe='')}", headers=htmx)
        if listed.status_code != 200:
            problems.append(f"{label} in ?state=: HTTP {listed.status_code}")
        elif the_list(listed) != benign:  # the state is only compared, never shown
            problems.append(f"{label} in ?state=: the list changed")
        if text.isascii() and text.isdigit() or not text:
            continue  # a real address
        path = quote(text, safe="")
        for url in (f"/research/exports/{path}/download/",
                    f"/research/exports/{export.pk}{path}/download/"):
            status = client.get(url).status_code
            if status != 404:
                problems.append(f"{label} in {url!r}: HTTP {status}")

    assert not problems, "\n".join(problems[:50])
    assert not ExportLog.objects.exists()
    assert ExportRequest.objects.get().status == ExportRequest.Status.READY
