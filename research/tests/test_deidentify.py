"""The de-identification rules, on data made in the test (no database)."""

import datetime
import re
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from research.deidentify import (
    FOLLOW_UP,
    MAX_SHIFT_DAYS,
    QUASI_IDENTIFIERS,
    STORY,
    Episode,
    Report,
    deidentify,
)
from research.dictionary import COLUMN_NAMES, COLUMNS_BY_NAME
from stories.choices import AgeBand, MsType, Sex

TREATED = datetime.date(2011, 3, 1)


def no_shift(person) -> int:
    return 0


def person(n, *, country="PL", reports=None, treated_on=TREATED, **fields) -> Episode:
    values = dict(age_band="40_49", sex="female", ms_type="rrms", procedure_kind="balloon",
                  veins=["left_jugular"])
    values.update(fields)
    if reports is None:
        reports = [Report(kind=STORY, on=datetime.date(2011, 6, 1), result="little_better",
                          symptoms={"fatigue": "better"}, change_onset="week",
                          complications=["none"], treated_again="no")]
    return Episode(person=("p", n), treated_on=treated_on, month_known=True, country=country,
                   reports=tuple(reports), **values)


def groups_by_quasi_identifiers(rows) -> dict[tuple, set[str]]:
    groups = defaultdict(set)
    for row in rows:
        groups[tuple(row[name] for name in QUASI_IDENTIFIERS)].add(row["study_id"])
    return groups


def test_it_keeps_exact_details_when_every_group_is_big_enough():
    result = deidentify([person(n) for n in range(6)], shift_days=no_shift)

    assert result.levels == dict.fromkeys(QUASI_IDENTIFIERS, 0)
    assert result.people == 6 and result.people_dropped == 0 and result.people_generalised == 0
    assert {(r["age_band"], r["sex"], r["place"], r["ms_type"], r["treatment_year"])
            for r in result.rows} == {("40_49", "female", "PL", "rrms", "2011")}


def test_a_rare_country_is_named_by_its_region_and_then_generalised_rather_than_dropped():
    """Five in Poland and one in Germany: Germany alone would single that person out, and
    dropping one of six is more than a tenth, so place becomes the region for everyone."""
    result = deidentify([person(n) for n in range(5)] + [person(9, country="DE")],
                        shift_days=no_shift)

    assert result.levels == {**dict.fromkeys(QUASI_IDENTIFIERS, 0), "place": 1}
    assert {r["place"] for r in result.rows} == {"europe"}
    assert result.people == 6 and result.people_dropped == 0
    assert result.people_generalised == 6


def test_a_few_people_in_small_groups_are_dropped_rather_than_generalising_everyone():
    result = deidentify([person(n) for n in range(20)] + [person(99, country="DE")],
                        shift_days=no_shift)

    assert result.levels == dict.fromkeys(QUASI_IDENTIFIERS, 0)
    assert result.people == 20 and result.people_dropped == 1 and result.stories_dropped == 1
    assert {r["place"] for r in result.rows} == {"PL"}


def test_fewer_than_k_people_give_an_empty_export():
    result = deidentify([person(n) for n in range(4)], shift_days=no_shift)

    assert result.rows == [] and result.people == 0
    assert result.people_considered == 4 and result.people_dropped == 4


def test_k_counts_people_not_stories():
    """Four people with two stories each make eight stories but only four people."""
    episodes = [
        Episode(**{**person(n).__dict__, "treated_on": TREATED + datetime.timedelta(days=d)})
        for n in range(4) for d in (0, 40)
    ]
    assert len(episodes) == 8

    result = deidentify(episodes, shift_days=no_shift)

    assert result.rows == [] and result.people_considered == 4


def test_a_persons_stories_share_one_study_id_and_are_numbered_by_date():
    episodes = [person(n) for n in range(5)] + [
        Episode(**{**person(0).__dict__, "treated_on": datetime.date(2011, 5, 1)})
    ]
    result = deidentify(episodes, shift_days=no_shift)

    ids = {r["study_id"] for r in result.rows}
    assert len(ids) == 5
    twice = [r for r in result.rows if r["treatment_number"] == 2]
    assert len(twice) == 1
    first = [r for r in result.rows
             if r["study_id"] == twice[0]["study_id"] and r["treatment_number"] == 1]
    assert len(first) == 1


def test_reports_become_rows_in_months_since_treatment_story_first():
    reports = [
        Report(kind=FOLLOW_UP, on=datetime.date(2012, 3, 10), result="no_change",
               relapses_since_last=9, restenosis="yes", repeat_procedure="no",
               started_dmt="unsure", complications=["restenosis"]),
        Report(kind=FOLLOW_UP, on=datetime.date(2011, 9, 2), result="little_better",
               relapses_since_last=0),
        Report(kind=STORY, on=datetime.date(2011, 6, 1), result="much_better",
               change_onset="hours", treated_again="no", complications=["none"]),
    ]
    result = deidentify([person(n, reports=reports) for n in range(5)], shift_days=no_shift)
    one = [r for r in result.rows if r["study_id"] == result.rows[0]["study_id"]]

    assert [(r["report"], r["report_number"], r["months_since_treatment"]) for r in one] == [
        (STORY, 0, 3), (FOLLOW_UP, 1, 6), (FOLLOW_UP, 2, 12)
    ]
    story, early, late = one
    assert story["change_onset"] == "hours" and story["relapses_since_last"] is None
    assert early["change_onset"] is None and early["treated_again"] is None
    assert late["relapses_since_last"] == 5  # nine relapses: top-coded
    assert (late["restenosis"], late["repeat_procedure"], late["started_dmt"]) == (
        "yes", "no", "unsure")
    assert late["complications"] == ["restenosis"]


def test_the_treatment_year_is_the_shifted_year_and_the_shift_is_bounded():
    december = datetime.date(2011, 12, 1)
    later = deidentify([person(n, treated_on=december) for n in range(5)],
                       shift_days=lambda p: 31)
    much_later = deidentify([person(n, treated_on=december) for n in range(5)],
                            shift_days=lambda p: 10_000)
    earlier = deidentify([person(n, treated_on=december) for n in range(5)],
                         shift_days=lambda p: -10_000)

    assert {r["treatment_year"] for r in later.rows} == {"2012"}
    assert {r["treatment_year"] for r in much_later.rows} == {"2012"}  # at most 182 days
    assert {r["treatment_year"] for r in earlier.rows} == {"2011"}
    # Intervals do not move with the shift: months since treatment stay the same.
    assert {r["months_since_treatment"] for r in later.rows} == {
        r["months_since_treatment"] for r in earlier.rows}


def test_values_that_are_not_known_codes_never_reach_the_rows():
    hostile = "=HYPERLINK(\"http://evil.example\")"
    reports = [Report(kind=STORY, on=datetime.date(2011, 6, 1), result=hostile,
                      symptoms={"fatigue": hostile, hostile: "better", "walking": "worse"},
                      change_onset=hostile, complications=[hostile, "none", "none"],
                      treated_again=hostile)]
    episodes = [person(n, reports=reports, age_band=hostile, sex=hostile, ms_type=hostile,
                       country="=1", procedure_kind=hostile, veins=[hostile, "azygos"])
                for n in range(5)]

    result = deidentify(episodes, shift_days=no_shift)

    row = result.rows[0]
    assert hostile not in repr(result.rows)
    assert row["result"] is None and row["symptom_fatigue"] is None
    assert row["symptom_walking"] == "worse"
    assert row["veins"] == ["azygos"] and row["complications"] == ["none"]
    assert (row["age_band"], row["sex"], row["ms_type"], row["place"]) == (
        "not_given", "not_given", "not_given", "not_given")


def test_study_ids_are_random_for_each_export_and_never_the_persons_key():
    episodes = [person(n) for n in range(5)]
    first = {r["study_id"] for r in deidentify(episodes, shift_days=no_shift).rows}
    second = {r["study_id"] for r in deidentify(episodes, shift_days=no_shift).rows}

    assert len(first) == 5 and not first & second
    assert all(re.fullmatch(r"P[0-9A-F]{12}", sid) for sid in first)


# Property: over any cohort, including junk values, every export is k-anonymous, holds only
# values the dictionary knows, and accounts for everyone.
_JUNK = ["", "junk", "=1+1", "@SUM(A1)", "-2", "+3", "\tx"]
episodes_strategy = st.lists(
    st.builds(
        Episode,
        person=st.integers(0, 30),
        treated_on=st.dates(datetime.date(2004, 1, 1), datetime.date(2026, 12, 31)),
        month_known=st.booleans(),
        age_band=st.sampled_from([*AgeBand.values, *_JUNK]),
        sex=st.sampled_from([*Sex.values, *_JUNK]),
        country=st.sampled_from(["PL", "PL", "US", "US", "DE", "IN", "MX", "AU", "AQ", "XX",
                                 "=1", ""]),
        ms_type=st.sampled_from([*MsType.values, *_JUNK]),
        procedure_kind=st.sampled_from(["balloon", "stent", *_JUNK]),
        veins=st.lists(st.sampled_from(["azygos", "left_jugular", *_JUNK]), max_size=3),
        reports=st.lists(st.builds(
            Report,
            kind=st.sampled_from([STORY, FOLLOW_UP]),
            on=st.dates(datetime.date(2004, 1, 1), datetime.date(2030, 12, 31)),
            result=st.sampled_from(["much_better", "no_change", *_JUNK]),
            symptoms=st.dictionaries(st.sampled_from(["fatigue", "walking", *_JUNK]),
                                     st.sampled_from(["better", "worse", *_JUNK]), max_size=3),
            relapses_since_last=st.one_of(st.none(), st.integers(-3, 40)),
            restenosis=st.sampled_from(["yes", "no", *_JUNK]),
        ), min_size=1, max_size=3),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(episodes=episodes_strategy, k=st.integers(2, 8), seed=st.integers(0, 10_000))
def test_every_export_is_k_anonymous_whatever_the_cohort(episodes, k, seed):
    result = deidentify(episodes, shift_days=lambda p: (p * 7919 + seed) % 700 - 350, k=k)

    for combination, study_ids in groups_by_quasi_identifiers(result.rows).items():
        assert len(study_ids) >= k, combination
    people = {episode.person for episode in episodes}
    assert result.people == len({r["study_id"] for r in result.rows})
    assert result.people + result.people_dropped == result.people_considered == len(people)
    if len(people) >= k:
        assert result.stories_dropped <= int(0.1 * len(episodes))
    else:
        assert result.rows == []
    for row in result.rows:
        assert list(row) == COLUMN_NAMES
        for name, value in row.items():
            assert COLUMNS_BY_NAME[name].accepts(value), (name, value)


@settings(max_examples=50, deadline=None)
@given(offset=st.integers(-5000, 5000))
def test_the_shift_never_moves_a_date_more_than_half_a_year(offset):
    result = deidentify([person(n, treated_on=datetime.date(2011, 7, 2)) for n in range(5)],
                        shift_days=lambda p: offset)
    year = int(result.rows[0]["treatment_year"])
    shifted = datetime.date(2011, 7, 2) + datetime.timedelta(
        days=max(-MAX_SHIFT_DAYS, min(MAX_SHIFT_DAYS, offset)))
    assert year == shifted.year == 2011
