"""Every string of the shared bad-input corpora through the story report form, as the note and
(every third string) as the reason: never a 500; accepted notes stored exactly as the form
normalises them (surrounding spaces trimmed), one row per report; refused ones shown again with
a message and the note as typed, nothing stored; and no page that could run script or gained
markup, neither the refused form nor the story page the reports are about."""

import pytest
from django.test import Client
from django.urls import reverse

from hindsight.hostile import Baseline, Page, load_corpora
from hindsight.testing import make_story
from stories import views
from stories.models import StoryReport

pytestmark = pytest.mark.django_db

STRINGS = load_corpora()
CHUNK = 100
CHUNKS = [STRINGS[i:i + CHUNK] for i in range(0, len(STRINGS), CHUNK)]


@pytest.fixture(autouse=True)
def _no_rate_limit(monkeypatch):
    monkeypatch.setattr(views, "REPORTS_PER_WINDOW", 100_000)


def _markup_problems(html: str, baseline: Baseline) -> list[str]:
    page = Page(html)
    problems = [f"handler {h}" for h in page.handlers]
    problems += [f"script URL {u}" for u in page.script_urls]
    problems += [f"new element <{tag} {' '.join(sorted(names))}>"
                 for tag, names in page.elements - baseline.elements]
    return problems


@pytest.mark.parametrize("chunk", CHUNKS, ids=[f"{c[0][0]}{c[0][1]}" for c in CHUNKS])
def test_each_string_is_stored_as_typed_or_refused_and_never_runs(chunk):
    story = make_story()
    url = reverse("stories:report", args=[story.slug])
    reader = Client()
    story_page = Baseline().add(reader.get(story.get_absolute_url()).content.decode())
    # What the form is made of when it refuses: every error a benign reader can cause.
    form_page = Baseline()
    for data in ({}, {"reason": "", "note": "x" * 1001}, {"reason": "nope", "note": "\u202e"},
                 {"reason": "other", "note": "x" * 1001}):
        form_page.add(reader.post(url, data).content.decode())
    problems = []
    for corpus, index, text in chunk:
        label = f"{corpus}[{index}] {text[:40]!r}"
        data = {"reason": text if index % 3 == 1 else "other", "note": text}
        before = StoryReport.objects.count()
        response = reader.post(url, data)
        if response.status_code >= 500:
            problems.append(f"{label}: HTTP {response.status_code}")
            continue
        if response.status_code == 302:
            stored = StoryReport.objects.order_by("-id").first()
            if StoryReport.objects.count() != before + 1:
                problems.append(f"{label}: {StoryReport.objects.count() - before} rows stored")
            elif (stored.reason, stored.note) != (data["reason"], text.strip()):
                problems.append(f"{label}: stored {stored.reason!r}/{stored.note!r}")
            continue
        html = response.content.decode()
        if response.status_code != 200 or "There is a problem" not in html:
            problems.append(f"{label}: refused ({response.status_code}) without a message")
        if Page(html).textareas.get("id_note") != text:
            problems.append(f"{label}: the note typed was not kept")
        if StoryReport.objects.count() != before:
            problems.append(f"{label}: refused, yet stored")
        problems += [f"{label}: {p}" for p in _markup_problems(html, form_page)]
    page = Client().get(story.get_absolute_url())
    if page.status_code != 200:
        problems.append(f"story page answered {page.status_code}")
    problems += _markup_problems(page.content.decode(), story_page)
    assert not problems, "\n".join(problems)
