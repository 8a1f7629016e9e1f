"""The share form's lookup: /directory/lookup/?q=…&field=who|where."""

import pytest
from django.urls import reverse

from directory.models import DirectoryEntry
from directory.selectors import LOOKUP_LIMIT
from directory.tests.helpers import make_entry

pytestmark = pytest.mark.django_db


def _lookup(client, q: str, field: str = "who") -> list[dict]:
    response = client.get(reverse("directory:lookup"), {"q": q, "field": field})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_part_of_a_name_finds_the_entry(client):
    make_entry()
    results = _lookup(client, "zamb")
    assert [r["label"] for r in results] == ["Paolo Zamboni"]
    assert results[0]["value"] == "Paolo Zamboni"
    assert results[0]["url"] == "/directory/paolo-zamboni/"
    assert "University of Ferrara" in results[0]["detail"]


def test_case_accents_titles_and_word_order_do_not_matter(client):
    make_entry(name="José Müller", slug="jose-muller", institution="Universität Zürich",
               city="Zürich", country="CH")
    for q in ("MULLER", "jose", "Dr. Müller José", "prof muller", "zurich"):
        assert [r["label"] for r in _lookup(client, q)] == ["José Müller"], q


def test_only_published_entries_are_offered(client):
    make_entry(status=DirectoryEntry.Status.DRAFT)
    assert _lookup(client, "Zamboni") == []


def test_at_most_eight_come_back_names_starting_with_the_word_first(client):
    for n in range(12):
        make_entry(name=f"Clinic {n:02d} Smith", slug=f"clinic-{n}")
    make_entry(name="Smith Clinic", slug="smith-clinic")

    results = _lookup(client, "smith")

    assert len(results) == LOOKUP_LIMIT
    assert results[0]["label"] == "Smith Clinic"


def test_where_searches_centres_institutions_and_cities(client):
    make_entry()  # a researcher at the University of Ferrara
    make_entry(name="Buffalo Neuroimaging Analysis Center", slug="bnac",
               kind=DirectoryEntry.Kind.CENTRE, institution="", city="Buffalo, New York",
               country="US")

    ferrara = _lookup(client, "ferrara", "where")
    assert [(r["label"], r["city"], r["country"]) for r in ferrara] == [
        ("University of Ferrara", "Ferrara", "IT")
    ]
    buffalo = _lookup(client, "neuroimaging", "where")
    assert [r["value"] for r in buffalo] == ["Buffalo Neuroimaging Analysis Center"]
    # A person's name is not a place.
    assert _lookup(client, "zamboni", "where") == []


def test_short_empty_or_odd_queries_give_no_suggestions(client):
    make_entry()
    for q in ("", "z", "  ", "\x00\x00", "%", "_", "dr"):
        assert _lookup(client, q) == [], repr(q)
    assert _lookup(client, "zamb", "<script>") != []  # an unknown field means "who"


def test_like_wildcards_are_taken_literally(client):
    make_entry()
    assert _lookup(client, "%%") == []
    assert _lookup(client, "z_mboni") == []


def test_the_answer_may_be_cached_by_a_front_cache(client):
    make_entry()
    response = client.get(reverse("directory:lookup"), {"q": "zamb"})
    assert response["Cache-Control"].startswith("public")
    assert not response.cookies


def test_only_get_is_answered(client):
    assert client.post(reverse("directory:lookup"), {"q": "zamb"}).status_code == 405


def test_a_very_long_query_is_cut_not_refused(client):
    make_entry()
    assert _lookup(client, "zamboni " + "x" * 10_000) == []
    assert [r["label"] for r in _lookup(client, "zamboni" + " " * 200 + "x")] == ["Paolo Zamboni"]
