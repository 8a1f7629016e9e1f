"""An attacker against the published numbers (docs/disclosure.md).

On generated sites, the attacker takes every table the outcomes page publishes, subtracts what
the public rows (people whose stories are all published) add to each count, and bounds every
hidden protected count by linear programming over the table's sums, knowing the rule and the
threshold. The test fails if a protected count from 1 to threshold - 1 can be read off, or if
any hidden one is pinned to a single value."""

import datetime
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.definitions import WINDOWS, Person, Report, judged
from outcomes.selectors import summary_of
from outcomes.tests.test_statistics import _check_publishable, _feasible_ranges
from outcomes.transparency import STORY_OUTCOMES, moderation_panel
from stories.choices import Result

TODAY = datetime.date(2026, 12, 3)
MONTH = 30.4375


@st.composite
def people(draw):
    crowd = []
    for _ in range(draw(st.integers(5, 45))):
        zero = draw(st.sampled_from([datetime.date(2021, 3, 1), datetime.date(2022, 9, 1),
                                     datetime.date(2024, 1, 1), None]))
        entry = draw(st.sampled_from([0.0, 1.0, 3.0, 10.0, 30.0]))
        reports = []
        for months in sorted(draw(st.lists(st.sampled_from([2.0, 3.5, 5.0, 8.0, 12.5, 20.0]),
                                           max_size=4, unique=True))):
            on = (zero or datetime.date(2022, 1, 1)) + datetime.timedelta(
                days=round((entry + months) * MONTH))
            if on > TODAY:
                continue
            reports.append(Report(
                on=on, months=None if zero is None else entry + months,
                result=draw(st.sampled_from(Result.values)),
                symptoms={"fatigue": draw(st.sampled_from(["better", "same", "worse"]))},
                relapses=draw(st.sampled_from([None, 0, 0, 1]))))
        crowd.append(Person(
            treated_on=zero or datetime.date(2022, 1, 1), time_zero=zero,
            ms_type=draw(st.sampled_from(["rrms", "spms", ""])), procedure_kind="balloon",
            country=draw(st.sampled_from(["DE", "PL", "IT", ""])),
            entry=None if zero is None else entry, prospective=draw(st.booleans()),
            reports=tuple(reports),
            complications=(complications := frozenset(
                draw(st.sets(st.sampled_from(["restenosis", "bleeding"]))))),
            treated_again=(again := draw(st.booleans())), public=draw(st.booleans()),
            complications_shown=frozenset(c for c in complications if draw(st.booleans())),
            treated_again_shown=again and draw(st.booleans()),
        ))
    return crowd, draw(st.sampled_from([5, 10]))


def _protected(values: dict, shown: dict, public: dict) -> dict:
    """What the attacker reads about the protected part of each count: (truth, as read)."""
    return {key: (values[key], None if shown[key] is None else shown[key] - public[key])
            for key in values}


def _count(crowd, key_of) -> tuple[Counter, Counter]:
    """Each count among the protected people (the truth) and among the public ones (what the
    attacker knows), counted here from the people themselves."""
    protected, public = Counter(), Counter()
    for person in crowd:
        for key in key_of(person):
            (public if person.public else protected)[key] += 1
    return protected, public


def _time_point_keys(point):
    low, high = WINDOWS[point]

    def keys(person):
        if person.time_zero is None or person.entry is None or person.entry >= high:
            return []
        if (TODAY - person.time_zero).days < 0:
            return []
        reached = person.time_zero.replace(
            year=person.time_zero.year + (person.time_zero.month - 1 + point) // 12,
            month=(person.time_zero.month - 1 + point) % 12 + 1)
        if TODAY < reached:
            return []
        inside = [r for r in person.reports
                  if r.months is not None and low <= r.months < high and judged(r.result)]
        result = judged(inside[-1].result) if inside else "no_result"
        return ["eligible", result] + (["reporting"] if inside else [])
    return keys


NESTED = [(["better", "not_better"], "reporting"), (["reporting", "no_result"], "eligible")]
CELLS = ("better", "not_better", "no_result", "reporting", "eligible")


@settings(max_examples=40, deadline=None)
@given(people())
def test_no_hidden_protected_count_of_the_over_time_table_can_be_worked_out(case):
    crowd, threshold = case
    summary = summary_of(crowd, today=TODAY, threshold=threshold)

    for tp in summary.time_points:
        protected, public = _count(crowd, _time_point_keys(tp.months))
        shown = {"better": tp.better, "not_better": tp.not_better, "no_result": tp.no_result,
                 "reporting": tp.reporting, "eligible": tp.eligible}
        entries = _protected({k: protected[k] for k in CELLS}, shown,
                             {k: public[k] for k in CELLS})
        _check_publishable(entries, NESTED, threshold)


@settings(max_examples=40, deadline=None)
@given(people())
def test_no_hidden_protected_count_of_the_group_tables_can_be_worked_out(case):
    crowd, threshold = case
    summary = summary_of(crowd, today=TODAY, threshold=threshold)

    for attribute, rows in summary.breakdowns.items():
        groups = {row.value for row in rows}

        def keys(person, attribute=attribute, groups=groups):
            if not person.latest:
                return []
            value = str(getattr(person, attribute) or "unknown")
            group = value if value in groups else "other"
            return [(group, person.latest), ("row", group)]

        protected, public = _count(crowd, keys)
        entries, implied, lines = {}, {}, []
        for row in rows:
            better, people_in = (row.value, "better"), ("row", row.value)
            for key, value in ((better, row.better), (people_in, row.people)):
                read = None if value is None else value - public[key]
                assert read is None or read == protected[key], key  # shown counts are true
                assert read is None or read == 0 or read >= threshold, key
                entries[key] = (protected[key], read)
            not_better = (row.value, "not_better")
            entries[not_better] = (protected[not_better], None)
            implied[not_better] = 0  # never published, only implied
            lines.append(([better, not_better], people_in))
        for key, (low, high) in _feasible_ranges(entries, lines, implied).items():
            if key not in implied:  # a hidden count: it must not be pinned
                assert high - low >= 1 - 1e-6, (attribute, key, low, high)


@settings(max_examples=40, deadline=None)
@given(people())
def test_no_protected_count_of_one_person_is_published_anywhere_else(case):
    crowd, threshold = case
    summary = summary_of(crowd, today=TODAY, threshold=threshold)

    def small(value, public):
        return value is not None and 1 <= value - public < threshold

    protected, public = Counter(), Counter()
    for p in crowd:  # a reader knows only what a published page shows
        for key, shown in [*((c, c in p.complications_shown) for c in p.complications),
                           *((("Treated again", p.treated_again_shown),)
                             if p.treated_again else ())]:
            (public if p.public and shown else protected)[key] += 1
    names = {"The vein narrowed again (restenosis)": "restenosis", "Bleeding": "bleeding",
             "Treated again": "Treated again"}
    for label, value in summary.complications.items():
        key = names.get(label)
        if key:
            assert not small(value, public[key]), label
    _protected_people, public_people = _count(crowd, lambda p: ["people"])
    assert not small(summary.people, public_people["people"])
    for curve in (summary.benefit_lasting, summary.relapse_free):
        for point in curve.points if curve else ():
            spans = [s for p in crowd if p.public and (s := (
                p.benefit_span() if curve is summary.benefit_lasting else p.relapse_span()))]
            public_followed = sum(
                int(s.entry + 0.5) <= point.time < int(s.exit + 0.5)
                for s in spans if int(s.exit + 0.5) > int(s.entry + 0.5)
                and int(s.exit + 0.5) > curve.start)
            assert not small(point.followed, public_followed), point


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(
    st.tuples(st.sampled_from(STORY_OUTCOMES[:4]), st.sampled_from(["much_better", "no_change",
                                                                    ""])),
    st.tuples(st.integers(0, 25), st.integers(0, 25)), max_size=10,
), st.sampled_from([5, 10]))
def test_no_hidden_protected_count_of_the_moderation_panel_can_be_worked_out(cells, threshold):
    counts = {key: public + protected for key, (public, protected) in cells.items()}
    protected = {key: n for key, (_public, n) in cells.items()}
    panel = moderation_panel(counts, STORY_OUTCOMES, threshold, protected)

    entries, lines = {}, []
    columns = [code for code, _label in panel.columns]
    outcomes = ["received", *STORY_OUTCOMES]
    for outcome, (_label, row_cells, total) in zip(outcomes, panel.rows, strict=True):
        for code in columns:
            truth = (sum(protected.get((o, code), 0) for o in STORY_OUTCOMES)
                     if outcome == "received" else protected.get((outcome, code), 0))
            known = (sum(cells.get((o, code), (0, 0))[0] for o in STORY_OUTCOMES)
                     if outcome == "received" else cells.get((outcome, code), (0, 0))[0])
            value = row_cells[code]
            entries[(outcome, code)] = (truth, None if value is None else value - known)
        truth = sum(entries[(outcome, code)][0] for code in columns)
        known_total = sum(
            cells.get((o, code), (0, 0))[0] for code in columns
            for o in (STORY_OUTCOMES if outcome == "received" else [outcome]))
        entries[(outcome, "all")] = (truth, None if total is None else total - known_total)
        lines.append(([(outcome, code) for code in columns], (outcome, "all")))
    for code in [*columns, "all"]:
        lines.append(([(o, code) for o in STORY_OUTCOMES], ("received", code)))
    _check_publishable(entries, lines, threshold)


def test_a_curve_does_not_say_when_in_a_gap_hidden_changes_happened():
    """Ten protected people join between two published months: the estimate at the second
    must not depend on how many joined early in the gap (found by trying to break it)."""
    from outcomes.definitions import FollowedSpan
    from outcomes.selectors import _curve

    def published(early: int):
        spans = [FollowedSpan(0.0, 24.0, False, public=True) for _ in range(19)]
        spans.append(FollowedSpan(0.0, 5.0, True, public=True))
        spans += [FollowedSpan(2.0 if n < early else 7.0, 24.0, False) for n in range(10)]
        return {p.time: (round(p.survival, 12), p.followed) for p in _curve(spans, 10).points}

    assert published(1) == published(9)
