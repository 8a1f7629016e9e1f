"""The data dictionary of the research export: every column, what it means and every value it
can hold. The CSV header, the JSON keys and the FHIR Questionnaire are all made from it."""

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries.data import COUNTRIES

from followups.models import YesNoUnsure
from research.regions import OTHER, REGIONS
from stories.choices import (
    AgeBand,
    ChangeOnset,
    Complication,
    MsType,
    ProcedureKind,
    Result,
    Sex,
    Symptom,
    SymptomChange,
    TreatedAgain,
    Vein,
)

DICTIONARY_VERSION = "1"
NOT_GIVEN = "not_given"
ANY = "any"
STORY = "story"
FOLLOW_UP = "follow_up"

Kind = Literal["id", "integer", "boolean", "code", "codes", "years"]
Codes = tuple[tuple[str, Promise], ...]


def _choices(choices) -> Codes:
    return tuple((value, label) for value, label in choices.choices)


_NOT_GIVEN: Codes = ((NOT_GIVEN, _("Not given")),)
_ANY: Codes = ((ANY, _("Any (hidden so that nobody can be singled out)")),)
_YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


@dataclass(frozen=True)
class Column:
    name: str
    label: Promise
    kind: Kind
    description: Promise
    codes: Codes = ()
    countries: bool = False  # also holds ISO 3166-1 alpha-2 country codes
    reports: tuple[str, ...] = (STORY, FOLLOW_UP)  # the reports that answer it

    @cached_property  # read for every value of every export row
    def code_values(self) -> frozenset[str]:
        return frozenset(code for code, _label in self.codes)

    def accepts(self, value) -> bool:
        """Whether `value` is something this column can hold (None: not answered)."""
        if value is None:
            return True
        if self.kind == "id":
            return isinstance(value, str) and re.fullmatch(r"P[0-9A-F]{12}", value) is not None
        if self.kind == "integer":
            return isinstance(value, int) and not isinstance(value, bool) and value >= 0
        if self.kind == "boolean":
            return isinstance(value, bool)
        if self.kind == "codes":
            return isinstance(value, list) and all(v in self.code_values for v in value)
        if self.kind == "years":
            match = _YEARS.match(value) if isinstance(value, str) else None
            return value == ANY or (
                match is not None and (match[2] is None or int(match[1]) < int(match[2]))
            )
        return value in self.code_values or (self.countries and value in COUNTRIES)


COLUMNS: tuple[Column, ...] = (
    Column("study_id", _("Study id"), "id", _(
        "A random id for one person, made afresh for each export: the same person has a "
        "different id in every export, so ids never link one export to another, and no id is "
        "a number the site uses."
    )),
    Column("treatment_number", _("Treatment number"), "integer", _(
        "1 for the person's first treatment shared here, 2 for a second, in date order. Most "
        "people have one."
    )),
    Column("report", _("Report"), "code", _(
        "Which report this row is: the story (what they said when they first shared it) or a "
        "later follow-up."
    ), codes=((STORY, _("The story, as first shared")), (FOLLOW_UP, _("A follow-up")))),
    Column("report_number", _("Report number"), "integer", _(
        "0 for the story, then 1, 2, … for each follow-up in time order."
    )),
    Column("months_since_treatment", _("Months since treatment"), "integer", _(
        "Whole months from the treatment to this report, counted from the 1st of the month of "
        "treatment, or from 1 January where the person gave only the year."
    )),
    Column("treatment_year", _("Treatment year"), "years", _(
        "The year of treatment after the date was moved by up to six months either way, by an "
        "amount kept secret and fixed for each person; a span of years (such as 2010-2012) "
        "or “any” where a single year would single someone out."
    )),
    Column("treatment_month_known", _("Month of treatment known"), "boolean", _(
        "True if the person gave the month of treatment, false if only the year."
    )),
    Column("age_band", _("Age band"), "code", _(
        "Age when they shared the story, in ten-year bands, or wider bands where needed."
    ), codes=(
        *_choices(AgeBand),
        ("under_40", _("Under 40")), ("40_59", _("40 to 59")), ("60_plus", _("60 or over")),
        *_NOT_GIVEN, *_ANY,
    )),
    Column("sex", _("Sex"), "code", _("Sex, as the person gave it."), codes=(
        *_choices(Sex),
        ("other_or_not_given", _("Another way, preferred not to say, or not given")),
        *_NOT_GIVEN, *_ANY,
    )),
    Column("place", _("Place of treatment"), "code", _(
        "The country where they were treated (an ISO 3166-1 two-letter code) where at least "
        "five people in the export were treated there; otherwise its world region, or “other” "
        "where the region is rare too."
    ), codes=(*REGIONS.items(), (OTHER, _("Another region")), *_NOT_GIVEN, *_ANY),
        countries=True),
    Column("ms_type", _("Type of MS"), "code", _("Type of MS, as the person gave it."), codes=(
        *_choices(MsType),
        ("relapsing_or_cis", _("Relapsing-remitting or clinically isolated syndrome")),
        ("progressive", _("Secondary or primary progressive")),
        ("unsure_or_not_given", _("Not sure, or not given")),
        *_NOT_GIVEN, *_ANY,
    )),
    Column("procedure_kind", _("Balloon or stent"), "code", _(
        "What was done, as the person understood it."
    ), codes=_choices(ProcedureKind)),
    Column("veins", _("Veins treated"), "codes", _(
        "The veins the person said were treated (a list)."
    ), codes=_choices(Vein)),
    Column("result", _("Overall result"), "code", _(
        "Compared with before treatment, at the time of this report."
    ), codes=_choices(Result)),
    Column("change_onset", _("How soon a change came"), "code", _(
        "How soon after treatment they noticed a change."
    ), codes=_choices(ChangeOnset), reports=(STORY,)),
    *(
        Column(f"symptom_{symptom.value}", symptom.label, "code", _(
            "This symptom compared with before treatment, at the time of this report."
        ), codes=_choices(SymptomChange))
        for symptom in Symptom
    ),
    Column("complications", _("Complications"), "codes", _(
        "In the story: complications of the procedure. In a follow-up: new complications since "
        "the last report. A list; the words of “something else” are never exported."
    ), codes=_choices(Complication)),
    Column("treated_again", _("Treated again"), "code", _(
        "Whether they had the procedure again, as said in the story."
    ), codes=_choices(TreatedAgain), reports=(STORY,)),
    Column("relapses_since_last", _("Relapses since the last report"), "integer", _(
        "How many relapses since the previous report; 5 stands for five or more."
    ), reports=(FOLLOW_UP,)),
    Column("restenosis", _("Told the vein narrowed again"), "code", _(
        "Whether a doctor told them the treated vein had narrowed again."
    ), codes=_choices(YesNoUnsure), reports=(FOLLOW_UP,)),
    Column("repeat_procedure", _("Had a repeat procedure"), "code", _(
        "Whether they had the procedure again since the last report."
    ), codes=_choices(YesNoUnsure), reports=(FOLLOW_UP,)),
    Column("started_dmt", _("Started a disease-modifying therapy"), "code", _(
        "Whether they started a disease-modifying therapy since the last report."
    ), codes=_choices(YesNoUnsure), reports=(FOLLOW_UP,)),
)

COLUMN_NAMES = [column.name for column in COLUMNS]
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
# Columns that together could single someone out; every combination of them in an export is
# shared by at least K people.
QUASI_IDENTIFIERS = ("age_band", "sex", "place", "ms_type", "treatment_year")

NEVER_EXPORTED = (
    _("names, display names and email addresses"),
    _("the title and words of stories, follow-ups and comments, and any other free text"),
    _("the city, clinic, hospital or doctor"),
    _("exact dates: when someone was treated, wrote or sent a follow-up"),
    _("the year of diagnosis, the cost and the currency paid in (which would tell the country)"),
    _("the site's own numbers for people, stories or follow-ups"),
    _("stories of people who did not agree to be counted, who withdrew their story, or who "
      "erased it; stories not yet approved, and follow-ups not yet approved"),
    _("published stories: anyone can read them on the site, and a row matched to its page "
      "would tie the author to their other answers (such as sex) and to their other stories"),
)


def dictionary_rows() -> list[dict]:
    """The dictionary as plain data, for the CSV and JSON downloads."""
    return [
        {
            "name": column.name,
            "label": str(column.label),
            "type": column.kind,
            "description": str(column.description),
            "reports": list(column.reports),
            "values": {code: str(label) for code, label in column.codes},
            "also_iso_3166_country_codes": column.countries,
        }
        for column in COLUMNS
    ]
