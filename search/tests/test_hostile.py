"""Every string of the shared bad-input corpora (see `hindsight.hostile`), as a search query and
as every filter at once, and as the title and words of a published story that is then found:
each page answers 200, shows the query as it was searched, and has no element, `on*` attribute,
script URL or foreign URL that the benign search pages do not have.

Problems are collected per chunk and reported together."""

import pytest
from django.urls import reverse

from hindsight.hostile import Baseline, Page, load_corpora
from hindsight.testing import make_story, make_treatment
from search import views
from search.query import clean_query_text

pytestmark = pytest.mark.django_db

URL = reverse("search:search")
STRINGS = load_corpora()
CHUNK = 100
# Chunks never mix the two corpora, so a test id names one file and a range of its strings.
CHUNKS = [
    strings[i : i + CHUNK]
    for corpus in ("blns", "xss")
    for strings in [[item for item in STRINGS if item[0] == corpus]]
    for i in range(0, len(strings), CHUNK)
]
FILTERS = ("kind", "treatment", "procedure_status", "result", "ms_type", "country",
           "procedure_kind", "treated_year", "page")


def _baseline(client, treatment) -> Baseline:
    benign = [make_story(treatment, title=f"Benign {n}", body="Warm hands, fatigue lifted.")
              for n in range(22)]
    baseline = Baseline()
    for params in [{}, {"q": "fatigue"}, {"q": "fatigue", "page": "2"}, {"q": "zebra"},
                   {"q": "***"}, {"q": "fatigue " * 60}, {"q": "hands", "country": "PL"},
                   {"q": "hands", "country": "XX"}, {"q": " ".join(f"w{n}" for n in range(12))}]:
        response = client.get(URL, params)
        assert response.status_code == 200
        baseline.add(response.content.decode())
    baseline.urls |= {story.get_absolute_url() for story in benign}
    return baseline


def _problems(label: str, response, baseline: Baseline, query: str) -> list[str]:
    if response.status_code != 200:
        return [f"{label}: answered {response.status_code}"]
    page = Page(response.content.decode())
    problems = [f"{label}: event handler {h}" for h in page.handlers]
    problems += [f"{label}: script URL {u}" for u in page.script_urls]
    for tag, names in sorted(page.elements - baseline.elements, key=str):
        problems.append(f"{label}: new element <{tag} {' '.join(sorted(names))}>")
    for url in sorted(page.urls - baseline.urls):
        if not (url.startswith("?") or url.startswith("/stories/")):
            problems.append(f"{label}: new URL {url!r}")
    shown = page.form_values.get("q", [])
    if clean_query_text(query)[0] not in shown:
        problems.append(f"{label}: the search box shows {shown!r}")
    return problems


@pytest.mark.parametrize("chunk", CHUNKS, ids=lambda c: f"{c[0][0]}{c[0][1]}-{c[-1][1]}")
def test_hostile_strings_as_queries_filters_and_found_content(client, chunk, monkeypatch):
    monkeypatch.setattr(views, "SEARCHES_PER_WINDOW", 100_000)
    treatment = make_treatment()
    baseline = _baseline(client, treatment)
    problems: list[str] = []
    for corpus, index, text in chunk:
        label = f"{corpus}[{index}] {text[:60]!r}"
        marker = f"hostilemarker{corpus}{index}"
        # Stored text comes from forms that refuse NUL characters.
        stored = text.replace("\x00", "")
        make_story(treatment, title=stored[:120] or "Untitled",
                   body=f"{marker} {stored} {marker}")
        try:
            as_query = client.get(URL, {"q": text, **{name: text for name in FILTERS}})
            found = client.get(URL, {"q": marker})
        except Exception as error:  # noqa: BLE001 - a crash is what this looks for
            problems.append(f"{label}: raised {type(error).__name__}: {error}")
            continue
        problems += _problems(f"{label} as query", as_query, baseline, text)
        problems += _problems(f"{label} found", found, baseline, marker)
        if found.status_code == 200 and "1 result for" not in found.content.decode():
            problems.append(f"{label}: its story was not found by its marker")
    assert not problems, "\n".join(problems)
