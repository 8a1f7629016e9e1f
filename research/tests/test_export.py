"""Research exports from the database, asked for, built by the task and downloaded: who is in
them, what they hold and never hold, the log of each download, and the FHIR Bundle."""

import csv
import datetime
import io
import json
import random
import re
from collections import defaultdict
from itertools import islice

import pytest
from django.contrib.admin.sites import site
from fhir.resources.bundle import Bundle
from fhir.resources.questionnaire import Questionnaire

from accounts.services import author_for_email, person_erase, story_erase
from followups.models import FollowUp
from research import formats
from research.deidentify import QUASI_IDENTIFIERS, K, deidentify
from research.dictionary import COLUMN_NAMES, COLUMNS_BY_NAME
from research.models import ExportLog, ExportRequest
from research.selectors import date_shift_days, research_episodes
from research.services import research_export
from research.tests.helpers import (
    ask_for_export,
    counted_story,
    download_response,
    exported,
)
from stories.demo.generator import demo_followups, demo_stories
from stories.models import Story
from stories.services import story_set_consent, story_withdraw

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "json", "fhir"]


def download(client, treatment, fmt) -> str:
    return exported(client, treatment, fmt)[1]


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def rows_of(text: str, fmt: str) -> list[dict]:
    """The rows of a download as {column: value}, with FHIR answers read back into columns."""
    if fmt == "csv":
        return csv_rows(text)
    if fmt == "json":
        return json.loads(text)["rows"]
    bundle = json.loads(text)
    rows = []
    for entry in bundle["entry"][1:]:
        response = entry["resource"]
        row = {"study_id": response["subject"]["identifier"]["value"]}
        for item in response["item"]:
            values = [next(iter(a.values())) for a in item["answer"]]
            values = [v["code"] if isinstance(v, dict) else v for v in values]
            row[item["linkId"]] = values if COLUMNS_BY_NAME[item["linkId"]].kind == "codes" \
                else values[0]
        rows.append(row)
    return rows


def assert_k_anonymous(rows: list[dict], k: int = K) -> None:
    groups = defaultdict(set)
    for row in rows:
        groups[tuple(row[name] for name in QUASI_IDENTIFIERS)].add(row["study_id"])
    for combination, people in groups.items():
        assert len(people) >= k, combination


def six_people(treatment, **fields):
    return [counted_story(treatment, **fields) for _ in range(6)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_download_is_logged_with_who_what_and_how_many(client, researcher, treatment, fmt):
    six_people(treatment, followups=[(datetime.date(2011, 9, 1), "no_change")])

    response, text = exported(client, treatment, fmt)

    log = ExportLog.objects.get()
    assert (log.user, log.username, log.treatment, log.format) == (
        researcher, researcher.username, treatment, fmt)
    assert (log.rows, log.people, log.people_considered, log.people_dropped) == (12, 6, 6, 0)
    assert log.people_generalised == ExportRequest.objects.get().people_generalised
    # Treatment years move by up to half a year each way, so they may need a span of years.
    assert set(log.generalisation) == set(QUASI_IDENTIFIERS)
    assert log.generalisation["place"] == 0 and log.generalisation["age_band"] == 0
    rows = rows_of(text, fmt)
    assert len(rows) == log.rows and len({r["study_id"] for r in rows}) == log.people
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="hindsight-{treatment.slug}-')


def test_two_exports_are_listed_and_each_download_is_a_log_row(client, researcher, treatment):
    six_people(treatment)
    download(client, treatment, "csv")
    download(client, treatment, "json")
    export = ExportRequest.objects.latest("id")
    assert download_response(client, export).status_code == 200  # the same file again

    page = client.get("/research/")

    assert ExportLog.objects.count() == 3
    assert page.text.count("<tr><th scope=\"row\">") == 2
    assert page.text.count("Ready to download") == 2
    assert "FHIR R4 Bundle" in page.text


def test_a_bad_request_re_renders_the_page_with_a_message_and_queues_nothing(
    client, researcher, treatment
):
    response = ask_for_export(client, treatment, "xlsx")
    other = client.post("/research/export/", {"treatment": "<script>", "format": "csv"})

    assert response.status_code == 400 and other.status_code == 400
    assert "That export could not be prepared" in response.text
    assert "Choose CSV, JSON or FHIR." in response.text
    assert "There is no such treatment." in other.text and "<script>" not in other.text
    assert not ExportRequest.objects.exists() and not ExportLog.objects.exists()


@pytest.mark.parametrize("model", [ExportLog, ExportRequest])
def test_the_log_and_the_requests_are_read_only_in_the_admin(rf, model):
    admin = site._registry[model]
    request = rf.get("/moderation/")

    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)


def test_only_approved_consenting_treated_people_and_approved_follow_ups_are_in_it(treatment):
    counted = six_people(treatment, veins=["azygos"])
    counted_story(treatment, veins=["right_jugular"], status=Story.Status.PENDING)
    counted_story(treatment, veins=["right_jugular"], consent_statistics=False)
    counted_story(treatment, veins=["right_jugular"], procedure_status="booked")
    FollowUp.objects.create(story=counted[0], status=FollowUp.Status.PENDING,
                            reported_on=datetime.date(2012, 1, 1), result="much_worse")

    result = deidentify(research_episodes(treatment), shift_days=date_shift_days)

    assert result.people_considered == 6
    assert {v for row in result.rows for v in row["veins"]} == {"azygos"}
    assert "much_worse" not in {row["result"] for row in result.rows}


def test_a_withdrawn_story_or_a_consent_taken_back_is_gone_from_the_next_export(treatment):
    people = six_people(treatment)
    marked = counted_story(treatment, result="much_worse", veins=["other"])
    counted_story(treatment)

    def export():
        return deidentify(research_episodes(treatment), shift_days=date_shift_days)

    assert "much_worse" in {row["result"] for row in export().rows}
    story_withdraw(story=marked)
    after_withdrawal = export()
    story_set_consent(story=people[0], purpose="statistics", granted=False)
    after_consent = export()

    assert after_withdrawal.people_considered == 7
    assert "much_worse" not in {row["result"] for row in after_withdrawal.rows}
    assert ["other"] not in [row["veins"] for row in after_withdrawal.rows]
    assert after_consent.people_considered == 6


def test_an_erased_story_or_person_is_gone_from_the_next_download(client, researcher,
                                                                  treatment):
    six_people(treatment)
    one_story = counted_story(treatment, result="much_worse")
    account = author_for_email("leaving@example.com")
    whole_person = counted_story(treatment, email="leaving@example.com", author=account,
                                 treated_again="yes", result="little_worse")
    before = csv_rows(download(client, treatment, "csv"))
    assert {"much_worse", "little_worse"} <= {row["result"] for row in before}

    story_erase(story=one_story)
    person_erase(user=account)
    after = csv_rows(download(client, treatment, "csv"))

    assert not Story.objects.filter(pk__in=[one_story.pk, whole_person.pk]).exists()
    assert {row["result"] for row in after} == {"little_better"}
    assert "yes" not in {row["treated_again"] for row in after}
    assert list(ExportLog.objects.order_by("id").values_list("people", flat=True)) == [8, 6]


def test_nothing_personal_and_no_database_number_is_in_any_download(client, researcher,
                                                                    treatment):
    words = {
        "title": "Quokka marmalade in Gdańsk", "body": "Zanzibar fingertips glowed all week.",
        "display_name": "Philomena Quist", "city": "Przemyśl", "clinic": "Clinic Vexillum",
        "treated_by": "Dr Zebulon Fawkes", "complications_other": "Periwinkle bruising",
    }
    for n in range(6):
        # Database numbers that cannot be confused with anything an export rightly holds.
        story = counted_story(treatment, **words, email=f"philomena{n}@quist.example",
                              id=987650 + n, cost_amount=12345, cost_currency="PLN",
                              diagnosis_year=1997,
                              followups=[(datetime.date(2011, 10, 3), "no_change")])
        FollowUp.objects.filter(story=story).update(body="Snapdragon tingles by autumn.")
    forbidden = [*words.values(), "quist.example", "Snapdragon", "12345", "PLN", "1997",
                 *[str(987650 + n) for n in range(6)]]

    for fmt in FORMATS:
        text = download(client, treatment, fmt)
        assert ExportLog.objects.filter(format=fmt, people=6).exists()
        # Random ids (study ids, FHIR entry uuids) can hold any digits, "1997" among them:
        # that is chance, not a leak, so the words are looked for in everything else.
        rest = re.sub(r"P[0-9A-F]{12}|urn:uuid:[0-9a-f-]{36}", "", text)
        for word in forbidden:
            assert word.lower() not in rest.lower(), (fmt, word)
        assert "Gda" not in text and "Katowice" not in text


def test_the_csv_holds_only_dictionary_values_and_no_cell_can_start_a_formula(
    client, researcher, treatment
):
    """Hostile strings from the shared corpora are forced into every coded column of the
    database, past the forms' validation; none of them reaches the CSV."""
    from hindsight.hostile import load_corpora

    hostile = [text for _source, _n, text in load_corpora()]
    formula = [s for s in hostile if s[:1] in "=+-@\t\r"] or ["=1+1"]
    stories = six_people(treatment, followups=[(datetime.date(2011, 9, 1), "no_change")])
    for n, story in enumerate(stories):
        text = hostile[(n * 97) % len(hostile)]
        attack = formula[n % len(formula)]
        Story.objects.filter(pk=story.pk).update(
            ms_type=attack[:10], sex=text[:10], age_band=attack[:10], country=attack[:2],
            result=attack[:20], change_onset=text[:20], procedure_kind=attack[:20],
            treated_again=attack[:10], symptoms={"fatigue": attack, attack: "better"},
            veins=[attack, "azygos"], complications=[text, attack], title=attack,
            body=text, display_name=attack[:60], city=attack[:100],
        )
        FollowUp.objects.filter(story=story).update(
            result=attack[:20], restenosis=attack[:10], started_dmt=text[:10],
            symptoms={"walking": attack}, new_complications=[attack], body=attack,
        )

    text = download(client, treatment, "csv")

    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == COLUMN_NAMES
    assert len(parsed) == 13  # everyone is still there, with their junk answers removed
    for row in csv_rows(text):
        for name, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
            column = COLUMNS_BY_NAME[name]
            if cell == "":
                continue
            if column.kind == "codes":
                value = cell.split(";")
            elif column.kind == "integer":
                value = int(cell)
            elif column.kind == "boolean":
                value = {"true": True, "false": False}[cell]
            else:
                value = cell
            assert column.accepts(value), (name, cell)


def test_the_csv_writer_makes_any_formula_harmless():
    from research.deidentify import Deidentified

    row = dict.fromkeys(COLUMN_NAMES)
    row.update(study_id="=cmd|' /C calc'!A0", veins=["@SUM(1)"], result="+1", sex="-1")
    text = formats.export_csv(Deidentified([row], 5, 1, 1, 0, 0, 0, {}))

    cells = list(csv.reader(io.StringIO(text)))[1]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_the_fhir_bundle_validates_as_r4_and_matches_the_csv_shape(client, researcher,
                                                                   treatment):
    import fhir.resources

    six_people(treatment, followups=[(datetime.date(2011, 9, 1), "no_change"),
                                     (datetime.date(2012, 3, 1), "little_worse")],
               complications=["none", "restenosis"], veins=["azygos", "left_jugular"])

    data = json.loads(download(client, treatment, "fhir"))
    bundle = Bundle.parse_obj(data)

    assert fhir.resources.__fhir_version__ == "4.0.1"
    assert bundle.type == "collection"
    questionnaire, *responses = [entry.resource for entry in bundle.entry]
    assert isinstance(questionnaire, Questionnaire)
    assert questionnaire.url == formats.questionnaire_url()
    assert len(responses) == 18
    link_ids = {item.linkId for item in questionnaire.item}
    options = {item.linkId: {o.valueCoding.code for o in item.answerOption or []}
               for item in questionnaire.item}
    for response in responses:
        assert response.resource_type == "QuestionnaireResponse"
        assert response.status == "completed"
        assert response.questionnaire == f"{questionnaire.url}|{questionnaire.version}"
        assert response.subject.reference is None and response.subject.display is None
        assert response.authored is None and response.author is None
        for item in response.item:
            assert item.linkId in link_ids
            for answer in item.answer:
                if answer.valueCoding and answer.valueCoding.system != formats.ISO_3166:
                    assert answer.valueCoding.code in options[item.linkId]
    assert len({e["fullUrl"] for e in data["entry"]}) == 19
    rows = rows_of(json.dumps(data), "fhir")
    assert_k_anonymous(rows)
    assert {r["complications"] == ["none", "restenosis"] for r in rows if r.get("report") ==
            "story"} == {True}


def test_a_bundle_that_does_not_validate_is_never_sent_or_logged(monkeypatch, treatment,
                                                                 researcher):
    from pydantic import ValidationError

    six_people(treatment)
    broken = formats._response

    def without_status(row, canonical, system):
        response = broken(row, canonical, system)
        del response["status"]
        return response

    monkeypatch.setattr(formats, "_response", without_status)

    with pytest.raises(ValidationError):
        research_export(user=researcher, treatment=treatment, fmt="fhir")
    assert not ExportLog.objects.exists()


def test_an_export_can_still_be_made_at_once_as_the_benchmark_times_it(treatment, researcher):
    six_people(treatment)

    file = research_export(user=researcher, treatment=treatment, fmt="csv")

    assert file.filename.startswith(f"hindsight-{treatment.slug}-") and file.filename.endswith(
        ".csv")
    assert file.content_type == "text/csv; charset=utf-8"
    assert len(csv_rows(file.content)) == 6 == file.log.rows
    assert ExportLog.objects.get() == file.log and not ExportRequest.objects.exists()


def test_the_questionnaire_is_served_at_its_canonical_address(client):
    data = json.loads(client.get("/research/dictionary/questionnaire.json").content)

    questionnaire = Questionnaire.parse_obj(data)
    assert questionnaire.url == formats.questionnaire_url()
    assert [item.linkId for item in questionnaire.item] == COLUMN_NAMES[1:]


def _load_demo_stories(treatment, count: int, seed: int = 2009) -> None:
    """The demo generator's invented stories and follow-ups, saved as `load_demo` saves them,
    but shared for statistics only (published stories are not exported)."""
    rng = random.Random(seed)
    stories = list(islice(demo_stories(treatment, count, seed=seed), count))
    for story in stories:
        story.consent_publish = False
    created = Story.objects.bulk_create(stories)
    FollowUp.objects.bulk_create(f for story in created for f in demo_followups(story, rng))


@pytest.mark.parametrize("count", [36, 400])
def test_k_anonymity_holds_on_the_demo_data_in_every_format(client, researcher, treatment,
                                                            count):
    _load_demo_stories(treatment, count)

    for fmt in FORMATS:
        rows = rows_of(download(client, treatment, fmt), fmt)
        log = ExportLog.objects.latest("id")
        assert len(rows) == log.rows and len({r["study_id"] for r in rows}) == log.people
        assert_k_anonymous(rows)
    assert log.people_considered > 10
    if count == 400:
        assert log.people >= 0.9 * log.people_considered


def test_the_date_shift_is_fixed_per_person_and_within_half_a_year():
    shifts = [date_shift_days(("account", n)) for n in range(300)]

    assert shifts == [date_shift_days(("account", n)) for n in range(300)]
    assert all(-182 <= s <= 182 for s in shifts)
    assert len(set(shifts)) > 150  # spread out, not a constant
