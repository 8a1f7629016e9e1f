"""The demo loader: the four people the blog page names, nothing invented."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from directory.demo import ENTRIES, directory_demo_load
from directory.models import DirectoryEntry, EntrySource
from hindsight.testing import make_treatment

pytestmark = pytest.mark.django_db

EVIDENCE = Path(__file__).resolve().parents[3] / "shared" / "evidence" / "ccsvi-evidence.md"


def test_it_loads_the_four_people_published_with_their_sources():
    treatment = make_treatment()
    directory_demo_load()

    entries = {e.slug: e for e in DirectoryEntry.objects.published()}
    assert set(entries) == {"paolo-zamboni", "michael-dake", "john-cooke", "robert-zivadinov"}
    assert entries["michael-dake"].kind == DirectoryEntry.Kind.CLINICIAN
    assert entries["paolo-zamboni"].position == "Director of the Centre for Vascular Diseases"
    assert entries["robert-zivadinov"].institution == "Buffalo Neuroimaging Analysis Center"
    for entry in entries.values():
        assert entry.sources.filter(title="The blog page this site grew from", url="").exists()
        assert list(entry.treatments.all()) == [treatment]


def test_running_it_twice_adds_nothing_and_keeps_moderators_edits():
    directory_demo_load()
    DirectoryEntry.objects.filter(slug="john-cooke").update(city="Edited by a moderator")
    counts = (DirectoryEntry.objects.count(), EntrySource.objects.count())

    directory_demo_load()

    assert (DirectoryEntry.objects.count(), EntrySource.objects.count()) == counts
    assert DirectoryEntry.objects.get(slug="john-cooke").city == "Edited by a moderator"


def test_every_link_is_one_the_evidence_file_gives():
    evidence = EVIDENCE.read_text(encoding="utf-8")
    urls = [source["url"] for entry in ENTRIES for source in entry["sources"]
            if source.get("url")]
    assert urls
    for url in urls:
        assert url in evidence, url


def test_figures_given_for_zamboni_are_in_the_evidence_file_marked_verified():
    evidence = EVIDENCE.read_text(encoding="utf-8")
    zamboni = next(e for e in ENTRIES if e["slug"] == "paolo-zamboni")
    text = zamboni["description"] + " ".join(s["claim"] for s in zamboni["sources"])
    for number in set(re.findall(r"\b\d+\b", text)) - {"2009", "2018"}:
        assert number in evidence, number
    assert "Venous PTA cannot be recommended for patients with relapsing-remitting multiple " \
           "sclerosis." in evidence


def test_moderators_get_the_directory_permissions():
    directory_demo_load()
    codenames = set(Group.objects.get(name="Moderators").permissions.values_list(
        "codename", flat=True))
    assert {"change_directoryentry", "view_suggestionawaitingreview",
            "add_storydirectorylink"} <= codenames
