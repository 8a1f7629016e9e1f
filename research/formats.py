"""The export written out: CSV, JSON, and FHIR R4 (a Questionnaire describing the questions,
and a Bundle of QuestionnaireResponse resources, one per report)."""

import json
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from fhir.resources.bundle import Bundle
from fhir.resources.questionnaire import Questionnaire

from hindsight.lib.spreadsheet import csv_text
from research.deidentify import Deidentified
from research.dictionary import COLUMN_NAMES, COLUMNS, DICTIONARY_VERSION, Column

ISO_3166 = "urn:iso:std:iso:3166"


def questionnaire_url() -> str:
    """The Questionnaire's canonical URL, where it can also be read."""
    return settings.SITE_URL + reverse("research:questionnaire")


def _code_system(column: Column) -> str:
    return f"{settings.SITE_URL}{reverse('research:dictionary')}#{column.name}"


def study_id_system() -> str:
    return f"{settings.SITE_URL}{reverse('research:dictionary')}#study_id"


def _csv_cell(value) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return value


def export_csv(result: Deidentified) -> str:
    """One row per report; lists are joined with ";". csv_text makes every cell formula-safe."""
    return csv_text(
        COLUMN_NAMES, ([_csv_cell(row[name]) for name in COLUMN_NAMES] for row in result.rows)
    )


def export_summary(result: Deidentified, treatment_slug: str) -> dict:
    return {
        "treatment": treatment_slug,
        "created": timezone.now().isoformat(timespec="seconds"),
        "dictionary_version": DICTIONARY_VERSION,
        "dictionary": settings.SITE_URL + reverse("research:dictionary"),
        "k": result.k,
        "rows": len(result.rows),
        "people": result.people,
        "people_considered": result.people_considered,
        "people_generalised": result.people_generalised,
        "people_dropped": result.people_dropped,
        "generalisation_levels": result.levels,
        "note": (
            "Self-reported by people who chose the procedure; not evidence that it works. "
            "Study ids are new in every export and do not link exports."
        ),
    }


def export_json(result: Deidentified, treatment_slug: str) -> str:
    return json.dumps(
        {"export": export_summary(result, treatment_slug), "rows": result.rows},
        ensure_ascii=False,
    )


def _item_type(column: Column) -> str:
    if column.kind in ("code", "codes"):
        return "open-choice" if column.countries else "choice"
    return {"integer": "integer", "boolean": "boolean", "years": "string"}[column.kind]


def _coding(column: Column, code: str) -> dict:
    labels = dict(column.codes)
    if code in labels:
        return {"system": _code_system(column), "code": code, "display": str(labels[code])}
    return {"system": ISO_3166, "code": code}  # a country


def questionnaire() -> dict:
    """The questions behind every report, as a FHIR R4 Questionnaire."""
    items = []
    for column in COLUMNS:
        if column.kind == "id":
            continue  # the study id is the subject of each response, not an answer
        item = {"linkId": column.name, "text": str(column.label), "type": _item_type(column)}
        if column.kind == "codes":
            item["repeats"] = True
        if column.codes:
            item["answerOption"] = [
                {"valueCoding": _coding(column, code)} for code, _label in column.codes
            ]
        items.append(item)
    resource = {
        "resourceType": "Questionnaire",
        "id": "hindsight-report",
        "url": questionnaire_url(),
        "version": DICTIONARY_VERSION,
        "name": "HindsightReport",
        "title": f"{settings.SITE_NAME}: one report after a treatment",
        "status": "active",
        "description": (
            "What a person said about a treatment, in their story or a later follow-up, as in "
            "the site's de-identified research export. Codes are explained in the data "
            "dictionary."
        ),
        "item": items,
    }
    Questionnaire.parse_obj(resource)
    return resource


def _answers(column: Column, value) -> list[dict]:
    if value is None or value == []:
        return []
    if column.kind == "code":
        return [{"valueCoding": _coding(column, value)}]
    if column.kind == "codes":
        return [{"valueCoding": _coding(column, code)} for code in value]
    if column.kind == "integer":
        return [{"valueInteger": value}]
    if column.kind == "boolean":
        return [{"valueBoolean": value}]
    return [{"valueString": value}]


def _response(row: dict, canonical: str, subject_system: str) -> dict:
    items = []
    for column in COLUMNS:
        if column.kind == "id":
            continue
        answers = _answers(column, row[column.name])
        if answers:
            items.append({"linkId": column.name, "answer": answers})
    # No dates and no author: the subject is the study id alone.
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical,
        "status": "completed",
        "subject": {"identifier": {"system": subject_system, "value": row["study_id"]}},
        "item": items,
    }


def export_fhir(result: Deidentified) -> str:
    """A Bundle (type collection): the Questionnaire, then one QuestionnaireResponse per
    report. It is validated as FHIR R4 before it is returned."""
    canonical = f"{questionnaire_url()}|{DICTIONARY_VERSION}"
    subject_system = study_id_system()
    entries = [questionnaire()] + [
        _response(row, canonical, subject_system) for row in result.rows
    ]
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "entry": [{"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": resource}
                  for resource in entries],
    }
    Bundle.parse_obj(bundle)
    return json.dumps(bundle, ensure_ascii=False)
