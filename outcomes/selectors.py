"""The outcomes of one treatment, computed from everyone counted (see cohort.py) and made safe
to publish: every count below the threshold hidden, with enough others that none can be worked
back out (see statistics.suppress)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from outcomes.cohort import BETTER, NOT_BETTER, TIME_POINTS, Person, build_cohort
from outcomes.statistics import (
    DropoutBounds,
    Proportion,
    SurvivalCurve,
    bounds_with_dropout,
    kaplan_meier,
    proportion,
    suppress,
    suppress_row,
)
from stories.choices import Complication, MsType, ProcedureKind, Symptom, SymptomChange

GROUP_BY = ("ms_type", "procedure_kind", "treatment_year", "country")


@dataclass(frozen=True)
class TimePoint:
    months: int
    eligible: int | None  # treated long enough ago to have reported by now
    reporting: int | None  # gave an overall result near this point
    better: int | None
    not_better: int | None
    stopped: int | None  # eligible but gave no result near this point
    bounds: DropoutBounds | None  # None where the counts behind it are hidden


@dataclass(frozen=True)
class SymptomRow:
    symptom: str
    label: str
    counts: dict[str, int | None]  # better / same / worse
    better: Proportion | None


@dataclass(frozen=True)
class GroupRow:
    value: str
    label: str
    people: int | None
    better: int | None
    share: Proportion | None


@dataclass
class OutcomesSummary:
    threshold: int
    people: int | None
    computed_at: datetime.datetime
    time_points: list[TimePoint] = field(default_factory=list)
    symptoms: dict[int, list[SymptomRow]] = field(default_factory=dict)
    benefit_lasting: SurvivalCurve | None = None
    relapse_free: SurvivalCurve | None = None
    complications: dict[str, int | None] = field(default_factory=dict)
    complications_people: int | None = None
    breakdowns: dict[str, list[GroupRow]] = field(default_factory=dict)


def _shown(count: int, threshold: int) -> int | None:
    return count if count == 0 or count >= threshold else None


def _time_points(cohort: list[Person], today: datetime.date, threshold: int) -> list[TimePoint]:
    raw = {}
    for point in TIME_POINTS:
        eligible = [p for p in cohort if p.months_followable(today) >= point]
        better = not_better = 0
        for person in eligible:
            report = person.report_at(point)
            if report is None:
                continue
            if report.result in BETTER:
                better += 1
            elif report.result in NOT_BETTER:
                not_better += 1
        raw[point] = {"better": better, "not_better": not_better,
                      "stopped": len(eligible) - better - not_better}
    rows = []
    for point in TIME_POINTS:
        # Each time point is its own line: the same people appear at every point, so sums
        # across points mean nothing and are never shown; only each point's total is.
        row = suppress_row(raw[point], threshold)
        better, not_better, stopped = (row.cells[k] for k in ("better", "not_better", "stopped"))
        eligible = row.total
        bounds = None
        if None not in (better, not_better, stopped, eligible) and eligible:
            bounds = bounds_with_dropout(better, better + not_better, eligible)
        reporting = None if None in (better, not_better) else better + not_better
        rows.append(TimePoint(point, eligible, reporting, better, not_better, stopped, bounds))
    return rows


def _symptoms(cohort: list[Person], threshold: int) -> dict[int, list[SymptomRow]]:
    changes = [SymptomChange.BETTER, SymptomChange.SAME, SymptomChange.WORSE]
    result = {}
    for point in TIME_POINTS:
        counts = Counter()
        for person in cohort:
            report = person.report_at(point)
            for symptom, change in (report.symptoms.items() if report else ()):
                if change in changes:
                    counts[(symptom, change)] += 1
        rows = []
        for symptom in Symptom:
            # One line per symptom, as for time points: people answer several symptoms, so
            # totals across symptoms are not a count of anyone and are not shown.
            line = suppress_row({c.value: counts[(symptom.value, c.value)] for c in changes},
                                threshold)
            cells, total = dict(line.cells), line.total
            better = cells["better"]
            share = proportion(better, total) if None not in (better, total) and total else None
            rows.append(SymptomRow(symptom.value, str(symptom.label), cells, share))
        result[point] = rows
    return result


def _curve(durations: list[float], observed: list[bool], threshold: int) -> SurvivalCurve | None:
    """The Kaplan–Meier curve, cut where fewer than `threshold` people are still followed."""
    if len(durations) < threshold:
        return None
    curve = kaplan_meier(durations, observed)
    points = tuple(p for p in curve.points if p.at_risk >= threshold)
    median = curve.median if any(p.survival <= 0.5 for p in points) else None
    return SurvivalCurve(points=points, median=median)


def _benefit_lasting(cohort: list[Person], threshold: int) -> SurvivalCurve | None:
    """Months from treatment until a person first reports no change or worse; people who
    never do are counted until their last report (censored)."""
    durations, observed = [], []
    for person in cohort:
        judged = [r for r in person.reports if r.result in BETTER | NOT_BETTER]
        if not judged:
            continue
        first_not_better = next((r for r in judged if r.result in NOT_BETTER), None)
        if first_not_better is not None:
            durations.append(max(first_not_better.months, 0.01))
            observed.append(True)
        else:
            durations.append(max(judged[-1].months, 0.01))
            observed.append(False)
    return _curve(durations, observed, threshold)


def _relapse_free(cohort: list[Person], threshold: int) -> SurvivalCurve | None:
    """Months from treatment to the first follow-up that reports a relapse."""
    durations, observed = [], []
    for person in cohort:
        followups = [r for r in person.reports if r.relapses is not None]
        if not followups:
            continue
        first = next((r for r in followups if r.relapses > 0), None)
        report = first or followups[-1]
        durations.append(max(report.months, 0.01))
        observed.append(first is not None)
    return _curve(durations, observed, threshold)


def _complications(cohort: list[Person], threshold: int):
    counts = Counter()
    for person in cohort:
        for code in set(person.complications) - {Complication.NONE}:
            counts[code] += 1
        if person.treated_again == "yes":
            counts["treated_again"] += 1
    labels = {**dict(Complication.choices), "treated_again": _("Treated again")}
    keys = [c for c in Complication.values if c != Complication.NONE] + ["treated_again"]
    row = suppress_row({key: counts[key] for key in keys}, threshold)
    return {str(labels[key]): n for key, n in row.cells.items()}


def _breakdowns(cohort: list[Person], threshold: int) -> dict[str, list[GroupRow]]:
    """Share better at each person's latest report, by group."""
    result = {}
    for attribute in GROUP_BY:
        counts = Counter()
        for person in cohort:
            judged = [r for r in person.reports if r.result in BETTER | NOT_BETTER]
            if not judged:
                continue
            value = (str(person.treated_on.year) if attribute == "treatment_year"
                     else getattr(person, attribute) or "unknown")
            counts[(value, "better" if judged[-1].result in BETTER else "not_better")] += 1
        groups = sorted({value for value, _kind in counts})
        table = suppress({(g, k): counts[(g, k)] for g in groups for k in ("better",
                                                                             "not_better")},
                         row_of=lambda key: key[0], col_of=lambda key: key[1],
                         threshold=threshold)
        rows = []
        for group in groups:
            people, better = table.row_totals[group], table.cells[(group, "better")]
            share = proportion(better, people) if None not in (people, better) and people else None
            rows.append(GroupRow(group, _group_label(attribute, group), people, better, share))
        result[attribute] = rows
    return result


def _group_label(attribute: str, value: str) -> str:
    if value == "unknown":
        return str(_("Not given"))
    if attribute == "ms_type":
        return str(dict(MsType.choices).get(value, value))
    if attribute == "procedure_kind":
        return str(dict(ProcedureKind.choices).get(value, value))
    if attribute == "country":
        return str(dict(countries).get(value, value))
    return value


def outcomes_summary(treatment, *, today: datetime.date | None = None,
                     threshold: int | None = None) -> OutcomesSummary:
    today = today or timezone.localdate()
    threshold = threshold or settings.SMALL_COUNT_THRESHOLD
    cohort = build_cohort(treatment)
    return OutcomesSummary(
        threshold=threshold,
        people=_shown(len(cohort), threshold),
        computed_at=timezone.now(),
        time_points=_time_points(cohort, today, threshold),
        symptoms=_symptoms(cohort, threshold),
        benefit_lasting=_benefit_lasting(cohort, threshold),
        relapse_free=_relapse_free(cohort, threshold),
        complications=_complications(cohort, threshold),
        breakdowns=_breakdowns(cohort, threshold),
    )
