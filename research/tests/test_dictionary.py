"""The data dictionary: every column of the export, in every form it is published."""

import csv
import io
import json

import pytest
from django_countries.data import COUNTRIES

from research.dictionary import COLUMN_NAMES, COLUMNS_BY_NAME, QUASI_IDENTIFIERS
from research.regions import REGION_OF_COUNTRY, REGIONS, region_of

pytestmark = pytest.mark.django_db


def test_every_country_has_a_region_but_antarctica():
    assert set(COUNTRIES) - set(REGION_OF_COUNTRY) == {"AQ"}
    assert set(REGION_OF_COUNTRY) <= set(COUNTRIES)
    assert set(REGION_OF_COUNTRY.values()) == set(REGIONS)
    assert (region_of("PL"), region_of("US"), region_of("MX"), region_of("IN"),
            region_of("EG"), region_of("AU"), region_of("AQ")) == (
        "europe", "northern_america", "latin_america_caribbean", "asia", "africa", "oceania",
        "other")


def test_the_page_has_a_section_for_every_column_and_says_what_is_never_exported(client):
    html = client.get("/research/dictionary/").content.decode()

    for name in COLUMN_NAMES:
        assert f'id="{name}"' in html, name
    assert "email addresses" in html
    assert html.count("May be made coarser to protect people.") == len(QUASI_IDENTIFIERS)


def test_the_csv_and_json_list_every_column_in_export_order(client):
    text = client.get("/research/dictionary/data-dictionary.csv").content.decode()
    data = json.loads(client.get("/research/dictionary/data-dictionary.json").content)

    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["name"] for row in rows] == COLUMN_NAMES
    assert [column["name"] for column in data["columns"]] == COLUMN_NAMES
    place = next(c for c in data["columns"] if c["name"] == "place")
    assert place["also_iso_3166_country_codes"] is True
    assert set(place["values"]) == COLUMNS_BY_NAME["place"].code_values
    assert "any = Any" in next(r for r in rows if r["name"] == "age_band")["values"]


@pytest.mark.parametrize("name, good, bad", [
    ("study_id", ["P0123456789AB"], ["1", "P0123", "p0123456789ab", 5]),
    ("treatment_year", ["2011", "2010-2012", "any"], ["2012-2010", "11", "=2011", 2011]),
    ("place", ["PL", "europe", "other", "any"], ["XX", "Poland", "=1"]),
    ("veins", [["azygos"], []], [["azygos", "nope"], "azygos"]),
    ("months_since_treatment", [0, 40], [-1, "3", True]),
    ("treatment_month_known", [True, False], ["true", 1]),
])
def test_each_column_accepts_only_its_values(name, good, bad):
    column = COLUMNS_BY_NAME[name]
    assert all(column.accepts(value) for value in good)
    assert not any(column.accepts(value) for value in bad)
