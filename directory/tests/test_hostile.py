"""Every string of the shared bad-input corpora through the suggestion forms and the lookup.

Each string goes into every text field of the new-entry form at once. A refusal must name
exactly the fields the site's stated rules refuse (one line only, no direction-changing
characters in a name, no NUL, not blank, not too long), say so on the page and keep everything
typed; the string is then sent again in the other fields. What is accepted must be stored
exactly as sent. Accepted suggestions are then accepted by a moderator and published, and the
entry page, the list, the lookup and the moderators' page for the suggestion must not have
gained any element, event handler or script URL that benign content does not produce. The
correction form gets each string too. Nothing may answer with a 500.
"""

import traceback
import unicodedata
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from directory import services, views
from directory.models import DirectoryEntry, EntrySuggestion
from directory.selectors import LOOKUP_LIMIT
from directory.tests.helpers import (
    add_source,
    correction_data,
    make_directory_moderator,
    make_entry,
    new_entry_data,
)
from hindsight.hostile import Baseline, Page, load_corpora
from hindsight.testing import sign_in_moderator
from stories.validators import BIDI_CONTROLS

pytestmark = pytest.mark.django_db

STRINGS = load_corpora()
CHUNK = 70
CHUNKS = [STRINGS[i:i + CHUNK] for i in range(0, len(STRINGS), CHUNK)]

ONE_LINE = {"name": 150, "position": 200, "institution": 200, "city": 100}
TEXTS = {"description": 3000, "sources": 3000}
SUFFIX = " (and then some ordinary words)"
LINE_BREAKS = {"\u2028", "\u2029", "\u0085"}
BENIGN_DESCRIPTION = """\
Described the *condition* and **led** a trial  
with a line break, `code`, a [link](https://example.org/a "with a title") and:

## A heading

### A smaller heading

#### And smaller

- a list
- of items

1. numbered
2. items

> a quote

---
"""


def _value(name: str, text: str) -> str:
    return text + SUFFIX if name in TEXTS else text


def _expected_refusals(text: str, fields) -> set[str]:
    """The fields the form should refuse this text in, by the site's stated rules."""
    refused = set()
    for name in fields:
        value = _value(name, text)
        limit = ONE_LINE.get(name) or TEXTS[name]
        if len(value) > limit or "\x00" in value:
            refused.add(name)
        elif name in ONE_LINE and any(unicodedata.category(c) == "Cc" or c in LINE_BREAKS
                                      for c in value):
            refused.add(name)
        elif name == "name" and (not value.strip() or BIDI_CONTROLS & set(value)):
            refused.add(name)
    return refused


class Run:
    """Sends the strings, noting every problem instead of stopping at the first."""

    def __init__(self):
        self.client = Client()
        self.problems: list[str] = []

    def post(self, label: str, path: str, data: dict):
        try:
            response = self.client.post(path, urlencode(data),
                                        content_type="application/x-www-form-urlencoded")
        except Exception as error:  # noqa: BLE001 - a crash is what we are looking for
            frame = traceback.extract_tb(error.__traceback__)[-1]
            self.problems.append(f"{label}: raised {error!r} at {frame.filename}:{frame.lineno}")
            return None
        if response.status_code not in (200, 302):
            self.problems.append(f"{label}: answered {response.status_code}")
            return None
        return response

    def check_refusal(self, label: str, response, data: dict, expected: set[str]) -> set[str]:
        html = response.content.decode()
        refused = set(response.context["form"].errors)
        if refused != expected:
            self.problems.append(f"{label}: refused {sorted(refused)}, expected "
                                 f"{sorted(expected)}")
        if "There is a problem" not in html:
            self.problems.append(f"{label}: refused without a message")
        page = Page(html)
        for name in (*ONE_LINE, *TEXTS, "correction"):
            if name not in data:
                continue
            shown = page.textareas.get(f"id_{name}") if name in (*TEXTS, "correction") else (
                page.form_values.get(name, [""])[0])
            if shown != data[name]:
                self.problems.append(f"{label}: {name} not kept: {shown!r}")
        return refused

    def suggest_new(self, label: str, text: str) -> EntrySuggestion | None:
        fields = set(ONE_LINE) | set(TEXTS)
        while fields:
            data = new_entry_data(**{name: _value(name, text) for name in fields})
            expected = _expected_refusals(text, fields)
            before = EntrySuggestion.objects.count()
            response = self.post(label, reverse("directory:suggest"), data)
            if response is None:
                return None
            if response.status_code == 302:
                if expected:
                    self.problems.append(f"{label}: accepted, expected refusal of "
                                         f"{sorted(expected)}")
                if EntrySuggestion.objects.count() != before + 1:
                    self.problems.append(f"{label}: accepted but not stored")
                    return None
                suggestion = EntrySuggestion.objects.latest("id")
                for name in fields:
                    if getattr(suggestion, name) != data[name]:
                        self.problems.append(f"{label}: {name} stored as "
                                             f"{getattr(suggestion, name)!r}")
                return suggestion
            fields -= self.check_refusal(label, response, data, expected) or fields
        return None

    def suggest_correction(self, label: str, entry: DirectoryEntry, text: str) -> None:
        data = correction_data(correction=_value("description", text),
                               sources=_value("sources", text))
        response = self.post(label, reverse("directory:correct", args=[entry.slug]), data)
        if response is None:
            return
        expected = {"correction", "sources"} if "\x00" in text or len(
            data["correction"]) > 3000 else set()
        if response.status_code == 200:
            self.check_refusal(label + " (correction)", response, data, expected)
        elif expected:
            self.problems.append(f"{label}: correction accepted, expected a refusal")
        elif EntrySuggestion.objects.latest("id").correction != data["correction"]:
            self.problems.append(f"{label}: correction not stored exactly")

    def page_problems(self, label: str, html: str, baseline: Baseline) -> None:
        page = Page(html)
        problems = [f"handler {h}" for h in page.handlers]
        problems += [f"script URL {u}" for u in page.script_urls]
        problems += [f"new element <{tag} {' '.join(sorted(names))}>"
                     for tag, names in page.elements - baseline.elements]
        self.problems += [f"{label}: {problem}" for problem in problems]


@pytest.fixture(autouse=True)
def _no_rate_limit(monkeypatch):
    monkeypatch.setattr(views, "SUGGESTIONS_PER_WINDOW", 100_000)


def _baselines(moderator_client: Client) -> dict[str, Baseline]:
    entry = make_entry(description=BENIGN_DESCRIPTION)
    add_source(entry)
    add_source(entry, title="The blog page this site grew from", url="")
    suggestion = services.suggestion_submit(kind="correction", entry=entry,
                                            correction="Benign\ncorrection", sources="x")
    # A waiting new entry's page has its text in editable boxes, to tidy before accepting.
    new = services.suggestion_submit(
        kind="new", name="Benign name", role="clinician", position="Benign position",
        institution="Benign institution", city="Benign city", country="PL",
        description="Benign\ndescription; the helper marks benign@example.org", sources="x")
    client = Client()
    admin_baseline = Baseline()
    for shown in (suggestion, new):
        admin_baseline.add(moderator_client.get(reverse(
            "admin:directory_entrysuggestion_change", args=[shown.pk])).content.decode())
    new.delete()
    return {
        "detail": Baseline().add(client.get(entry.get_absolute_url()).content.decode()),
        "list": Baseline().add(client.get(reverse("directory:list")).content.decode()),
        "admin": admin_baseline,
    }


@pytest.mark.parametrize("chunk", CHUNKS, ids=[f"{c[0][0]}{c[0][1]}" for c in CHUNKS])
def test_every_string_is_kept_exactly_or_refused_and_never_runs(chunk, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    moderator = make_directory_moderator()
    moderator_client = Client()
    sign_in_moderator(moderator_client, moderator)
    baselines = _baselines(moderator_client)
    target = DirectoryEntry.objects.get()
    run = Run()

    published = []
    for corpus, index, text in chunk:
        label = f"{corpus}[{index}] {text[:40]!r}"
        run.suggest_correction(label, target, text)
        suggestion = run.suggest_new(label, text)
        if suggestion is None:
            continue
        admin_page = moderator_client.get(reverse("admin:directory_entrysuggestion_change",
                                                  args=[suggestion.pk]))
        if admin_page.status_code != 200:
            run.problems.append(f"{label}: the moderators' page answered "
                                f"{admin_page.status_code}")
        else:
            run.page_problems(label + " (admin)", admin_page.content.decode(),
                              baselines["admin"])
        try:
            suggestion = services.suggestion_accept(suggestion=suggestion, moderator=moderator)
            services.entry_publish(entry=suggestion.entry, moderator=moderator)
        except Exception as error:  # noqa: BLE001
            run.problems.append(f"{label}: accepting and publishing failed: {error!r}")
            continue
        published.append((label, suggestion.entry))

    public = Client()
    for label, entry in published:
        response = public.get(entry.get_absolute_url())
        if response.status_code != 200:
            run.problems.append(f"{label}: entry page answered {response.status_code}")
            continue
        run.page_problems(label + " (entry page)", response.content.decode(),
                          baselines["detail"])
    listing = public.get(reverse("directory:list"))
    run.page_problems("the list", listing.content.decode(), baselines["list"])

    for corpus, index, text in chunk:
        label = f"{corpus}[{index}] {text[:40]!r} (lookup)"
        for field in ("who", "where"):
            response = public.get(reverse("directory:lookup"), {"q": text, "field": field})
            if response.status_code != 200:
                run.problems.append(f"{label}: answered {response.status_code}")
            elif len(response.json()["results"]) > LOOKUP_LIMIT:
                run.problems.append(f"{label}: more than {LOOKUP_LIMIT} results")
    assert not run.problems, "\n".join(run.problems)


def test_a_stored_hostile_name_comes_back_from_the_lookup_as_data(client):
    name = '<img src=x onerror=alert(1)> Zamboni "quoted"'
    make_entry(name=name)
    response = client.get(reverse("directory:lookup"), {"q": "zamboni"})
    assert response.json()["results"][0]["label"] == name
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_string_was_run_as_a_shell_command():
    assert not Path("/tmp/blns.fail").exists()
