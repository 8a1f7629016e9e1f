"""Every string of the shared bad-input corpora sent to the export form, as the treatment and
as the format: never a 500, never a file, never a log row, and the page that explains the
refusal is made of nothing a benign refusal is not made of."""

import pytest

from hindsight.hostile import Baseline, Page, load_corpora
from hindsight.testing import make_treatment, sign_in_moderator
from research.models import ExportLog
from research.tests.helpers import make_researcher

pytestmark = pytest.mark.django_db

STRINGS = load_corpora()


def test_hostile_strings_in_the_export_form_are_refused_on_the_page(client):
    treatment = make_treatment()
    sign_in_moderator(client, make_researcher())
    baseline = Baseline()
    for data in ({"treatment": "no-such-treatment", "format": "xlsx"},
                 {"treatment": treatment.slug, "format": "xlsx"}, {}):
        response = client.post("/research/export/", data)
        assert response.status_code == 400
        baseline.add(response.content.decode())

    problems = []
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
    assert not ExportLog.objects.exists()
