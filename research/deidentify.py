"""De-identification of the research export: pure functions, no database.

In: episodes (one story each: the person behind it as an opaque key, when they were treated,
who they are in broad terms, and their reports). Out: rows in which

- each person has a random study id, new in every export (`secrets`), never a database key;
- dates are months since treatment, and the treatment date itself is moved by an offset fixed
  for each person (given by the caller) and then shown only as a year;
- only coded answers appear, each checked against the data dictionary: no free text;
- every combination of the quasi-identifiers (age band, sex, place, MS type, treatment year)
  is shared by at least K people.

The last is reached by global recoding over a small lattice of generalisations (each
attribute has a few levels, from exact to "any"), followed by dropping the stories still in
groups smaller than K. Combinations of levels are tried from the least generalised up; the
one chosen generalises least among those that drop at most MAX_DROPPED_SHARE of the stories
(fewer dropped breaks ties).
With at least K people, "everything generalised to any" drops nobody, so a choice always
exists; with fewer than K people nothing can be exported.
"""

import datetime
import itertools
import math
import secrets
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django_countries.data import COUNTRIES

from research.dictionary import (
    ANY,
    COLUMN_NAMES,
    COLUMNS_BY_NAME,
    FOLLOW_UP,
    NOT_GIVEN,
    QUASI_IDENTIFIERS,
    STORY,
)
from research.regions import OTHER, region_of
from stories.choices import Symptom

K = 5
MAX_DROPPED_SHARE = 0.1
MAX_SHIFT_DAYS = 182
DAYS_PER_MONTH = 30.4375
# Many relapses are rare enough to single someone out: 5 stands for "5 or more".
RELAPSES_TOP = 5
_SYMPTOMS = tuple(Symptom.values)


@dataclass(frozen=True)
class Report:
    """One set of answers: the story as first shared, or a follow-up."""

    kind: str  # STORY or FOLLOW_UP
    on: datetime.date
    result: str = ""
    symptoms: Mapping[str, str] = field(default_factory=dict)
    change_onset: str = ""
    complications: Sequence[str] = ()
    treated_again: str = ""
    relapses_since_last: int | None = None
    restenosis: str = ""
    repeat_procedure: str = ""
    started_dmt: str = ""


@dataclass(frozen=True)
class Episode:
    """One story: a treatment of one person and what they reported about it."""

    person: Hashable  # tells people apart; never written out
    treated_on: datetime.date
    month_known: bool
    age_band: str = ""
    sex: str = ""
    country: str = ""
    ms_type: str = ""
    procedure_kind: str = ""
    veins: Sequence[str] = ()
    reports: Sequence[Report] = ()


@dataclass(frozen=True)
class Deidentified:
    rows: list[dict]
    k: int
    people: int  # in the export
    people_considered: int  # before any were dropped
    people_generalised: int  # in the export with a quasi-identifier coarser than exact
    people_dropped: int
    stories_dropped: int
    levels: dict[str, int]  # the generalisation level chosen for each quasi-identifier


# Generalisation hierarchies. Level 0 is the value as given (place: the country, or its region
# where the country is rare); the last level of each is ANY.
_AGE = {"under_30": "under_40", "30_39": "under_40", "40_49": "40_59", "50_59": "40_59",
        "60_69": "60_plus", "70_plus": "60_plus", NOT_GIVEN: NOT_GIVEN}
_SEX = {"female": "female", "male": "male", "other": "other_or_not_given",
        "unsaid": "other_or_not_given", NOT_GIVEN: "other_or_not_given"}
_MS = {"rrms": "relapsing_or_cis", "cis": "relapsing_or_cis", "spms": "progressive",
       "ppms": "progressive", "unsure": "unsure_or_not_given", NOT_GIVEN: "unsure_or_not_given"}
MAX_LEVELS = {"age_band": 2, "sex": 2, "place": 2, "ms_type": 2, "treatment_year": 3}


def _year_levels(year: int) -> tuple[str, ...]:
    span = year - year % 3
    decade = year - year % 10
    return (str(year), f"{span}-{span + 2}", f"{decade}-{decade + 9}", ANY)


def _code(name: str, value) -> str | None:
    """The value if the dictionary knows it for this column, else nothing: a value that is not
    one of the known codes (a typing error, a hostile string) never reaches an export."""
    return value if isinstance(value, str) and value in COLUMNS_BY_NAME[name].code_values else None


def _codes(name: str, values) -> list[str]:
    if not isinstance(values, (list, tuple)):
        return []
    allowed = COLUMNS_BY_NAME[name].code_values
    return list(dict.fromkeys(v for v in values if isinstance(v, str) and v in allowed))


def _count(value, top: int | None = None) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return None
    return min(value, top) if top is not None else value


def new_study_ids(count: int) -> list[str]:
    """`count` different random ids, from the operating system's secure source."""
    ids: set[str] = set()
    while len(ids) < count:
        ids.add("P" + secrets.token_hex(6).upper())
    return list(ids)


@dataclass
class _Prepared:
    episode: Episode
    levels: dict[str, tuple[str, ...]]  # each quasi-identifier's value at every level


def _prepare(episodes: Sequence[Episode], shift_days: Callable[[Hashable], int],
             k: int) -> list[_Prepared]:
    prepared = []
    for episode in episodes:
        offset = max(-MAX_SHIFT_DAYS, min(MAX_SHIFT_DAYS, int(shift_days(episode.person))))
        shifted = episode.treated_on + datetime.timedelta(days=offset)
        age = _code("age_band", episode.age_band) or NOT_GIVEN
        sex = _code("sex", episode.sex) or NOT_GIVEN
        ms = _code("ms_type", episode.ms_type) or NOT_GIVEN
        prepared.append(_Prepared(episode, {
            "age_band": (age, _AGE.get(age, age), ANY),
            "sex": (sex, _SEX.get(sex, sex), ANY),
            "ms_type": (ms, _MS.get(ms, ms), ANY),
            "treatment_year": _year_levels(shifted.year),
        }))
    # Place needs the number of people in each country and region first.
    country_of = [
        p.episode.country if p.episode.country in COUNTRIES else NOT_GIVEN for p in prepared
    ]
    region = [NOT_GIVEN if c == NOT_GIVEN else region_of(c) for c in country_of]
    people_in: dict[str, set] = defaultdict(set)
    for p, country, reg in zip(prepared, country_of, region, strict=True):
        people_in["country:" + country].add(p.episode.person)
        people_in["region:" + reg].add(p.episode.person)
    for p, country, reg in zip(prepared, country_of, region, strict=True):
        level0 = country if len(people_in["country:" + country]) >= k else reg
        level1 = reg if len(people_in["region:" + reg]) >= k else OTHER
        p.levels["place"] = (level0, level1, ANY)
    return prepared


def _exact(p: _Prepared) -> tuple[str, ...]:
    """The quasi-identifiers as given, before any generalisation (the country itself)."""
    country = p.episode.country if p.episode.country in COUNTRIES else NOT_GIVEN
    return tuple(
        country if name == "place" else p.levels[name][0] for name in QUASI_IDENTIFIERS
    )


def _class_key(values: tuple[tuple[str, ...], ...], node: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(levels[level] for levels, level in zip(values, node, strict=True))


# Every combination of levels with its information loss (each attribute's level as a share
# of its most general level, added up), least loss first.
_LATTICE = sorted(
    (sum(Fraction(level, MAX_LEVELS[name])
         for name, level in zip(QUASI_IDENTIFIERS, node, strict=True)), node)
    for node in itertools.product(*(range(MAX_LEVELS[name] + 1) for name in QUASI_IDENTIFIERS))
)
_NO_GENERALISATION = (0,) * len(QUASI_IDENTIFIERS)


def _choose_levels(prepared: list[_Prepared], k: int,
                   max_dropped_share: float) -> tuple[tuple[int, ...], set[int]]:
    """The generalisation to use, and the indexes of the episodes it leaves in groups smaller
    than k (to be dropped)."""
    episodes_of: dict[Hashable, int] = defaultdict(int)
    for p in prepared:
        episodes_of[p.episode.person] += 1
    # Episodes with the same values at every level, summarised: how many episodes, how many
    # people with one episode (counted by number), and which people with several (counted as
    # sets, so that nobody is counted twice when groups merge; they are few).
    groups: dict[tuple, list] = {}
    for p in prepared:
        key = tuple(p.levels[name] for name in QUASI_IDENTIFIERS)
        group = groups.setdefault(key, [0, 0, set()])
        group[0] += 1
        if episodes_of[p.episode.person] == 1:
            group[1] += 1
        else:
            group[2].add(p.episode.person)
    allowed = math.floor(max_dropped_share * len(prepared))
    if len(episodes_of) < k:
        return _NO_GENERALISATION, set(range(len(prepared)))
    # Least generalised first: the first combination of levels that drops few enough stories
    # wins, after comparing it with the others that generalise exactly as much. Everything
    # at "any" drops nobody (there are at least k people), so the loop always finds one.
    best = None
    for loss, node in _LATTICE:
        if best is not None and loss > best[0]:
            break
        classes: dict[tuple, list] = {}
        for key, (episodes, singles, several) in groups.items():
            class_key = _class_key(key, node)
            found = classes.get(class_key)
            if found is None:
                classes[class_key] = [episodes, singles, set(several)]
            else:
                found[0] += episodes
                found[1] += singles
                found[2] |= several
        dropped = sum(episodes for episodes, singles, several in classes.values()
                      if singles + len(several) < k)
        if dropped <= allowed and (best is None or (dropped, node) < best[1:]):
            best = (loss, dropped, node)
    assert best is not None
    node = best[2]
    people_in: dict[tuple, set] = defaultdict(set)
    keys = [_class_key(tuple(p.levels[name] for name in QUASI_IDENTIFIERS), node)
            for p in prepared]
    for key, p in zip(keys, prepared, strict=True):
        people_in[key].add(p.episode.person)
    return node, {index for index, key in enumerate(keys) if len(people_in[key]) < k}


def _report_rows(episode: Episode) -> list[dict]:
    reports = sorted(episode.reports, key=lambda r: (r.kind != STORY, r.on))
    rows = []
    for number, report in enumerate(reports):
        days = (report.on - episode.treated_on).days
        symptoms = report.symptoms if isinstance(report.symptoms, Mapping) else {}
        is_story = report.kind == STORY
        row = {
            "report": STORY if is_story else FOLLOW_UP,
            "report_number": number,
            "months_since_treatment": max(0, math.floor(days / DAYS_PER_MONTH)),
            "procedure_kind": _code("procedure_kind", episode.procedure_kind),
            "veins": _codes("veins", episode.veins),
            "result": _code("result", report.result),
            "change_onset": _code("change_onset", report.change_onset) if is_story else None,
            "complications": _codes("complications", report.complications),
            "treated_again": _code("treated_again", report.treated_again) if is_story else None,
            "relapses_since_last": None if is_story else _count(report.relapses_since_last,
                                                                RELAPSES_TOP),
            "restenosis": None if is_story else _code("restenosis", report.restenosis),
            "repeat_procedure": None if is_story else _code("repeat_procedure",
                                                            report.repeat_procedure),
            "started_dmt": None if is_story else _code("started_dmt", report.started_dmt),
        }
        for symptom in _SYMPTOMS:
            name = f"symptom_{symptom}"
            row[name] = _code(name, symptoms.get(symptom))
        rows.append(row)
    return rows


def deidentify(
    episodes: Sequence[Episode],
    *,
    shift_days: Callable[[Hashable], int],
    k: int = K,
    max_dropped_share: float = MAX_DROPPED_SHARE,
) -> Deidentified:
    """The export rows for these episodes, k-anonymous on QUASI_IDENTIFIERS.

    `shift_days(person)` gives the number of days (within ±MAX_SHIFT_DAYS) by which that
    person's treatment dates are moved before they are shown as a year.
    """
    considered = {episode.person for episode in episodes}
    if not episodes:
        return Deidentified([], k, 0, 0, 0, 0, 0, dict.fromkeys(QUASI_IDENTIFIERS, 0))
    prepared = _prepare(episodes, shift_days, k)
    node, dropped = _choose_levels(prepared, k, max_dropped_share)
    kept = [p for index, p in enumerate(prepared) if index not in dropped]
    people = list({p.episode.person: None for p in kept})
    study_id = dict(zip(people, new_study_ids(len(people)), strict=True))
    by_person: dict[Hashable, list[_Prepared]] = defaultdict(list)
    for p in kept:
        by_person[p.episode.person].append(p)
    rows: list[dict] = []
    generalised = set()
    for person, episodes_of_person in by_person.items():
        episodes_of_person.sort(key=lambda p: p.episode.treated_on)
        for number, p in enumerate(episodes_of_person, start=1):
            quasi = {name: p.levels[name][level]
                     for name, level in zip(QUASI_IDENTIFIERS, node, strict=True)}
            if tuple(quasi[name] for name in QUASI_IDENTIFIERS) != _exact(p):
                generalised.add(person)
            for report_row in _report_rows(p.episode):
                row = {
                    "study_id": study_id[person],
                    "treatment_number": number,
                    "treatment_month_known": bool(p.episode.month_known),
                    **quasi,
                    **report_row,
                }
                rows.append({name: row[name] for name in COLUMN_NAMES})
    rows.sort(key=lambda r: (r["study_id"], r["treatment_number"], r["report_number"]))
    return Deidentified(
        rows=rows,
        k=k,
        people=len(people),
        people_considered=len(considered),
        people_generalised=len(generalised),
        people_dropped=len(considered) - len(people),
        stories_dropped=len(dropped),
        levels=dict(zip(QUASI_IDENTIFIERS, node, strict=True)),
    )
