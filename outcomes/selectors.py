"""The outcomes of one treatment, computed from everyone counted (one `CountedPerson` row each,
kept by people.py from cohort.py's reading of the stories) and made safe to publish: every
count below the threshold hidden, with enough others that none can be worked back out (see
statistics.suppress)."""

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from outcomes.cohort import TIME_POINTS
from outcomes.models import CountedPerson
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


def _counts(people, *columns) -> Counter:
    """How many people have each combination of values in these columns, counted by the
    database (one GROUP BY), so the page costs the same few queries however many report."""
    return Counter({
        values[:-1] if len(columns) > 1 else values[0]: values[-1]
        for values in people.values_list(*columns).annotate(n=Count("pk")).order_by()
    })


def _treated_by(today: datetime.date, months: int) -> datetime.date:
    """The last treatment date that is `months` months (of 30.4375 days) before today."""
    return today - datetime.timedelta(days=math.ceil(months * 30.4375))


def _time_points(people, today: datetime.date, threshold: int) -> list[TimePoint]:
    # One pass over the rows: for each point, who could have reported by now, and how many
    # of them said better or not better near it.
    aggregates = {}
    for point in TIME_POINTS:
        eligible = Q(treated_on__lte=_treated_by(today, point))
        aggregates[f"eligible_{point}"] = Count("pk", filter=eligible)
        for result in ("better", "not_better"):
            aggregates[f"{result}_{point}"] = Count(
                "pk", filter=eligible & Q(**{f"at_{point}": result})
            )
    counts = people.aggregate(**aggregates)
    raw = {}
    for point in TIME_POINTS:
        better, not_better = counts[f"better_{point}"], counts[f"not_better_{point}"]
        raw[point] = {"better": better, "not_better": not_better,
                      "stopped": counts[f"eligible_{point}"] - better - not_better}
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


def _symptom_counts(people) -> dict[int, Counter]:
    """How many people gave each "symptom=change" at each time point. The answer strings are
    combinations, many of them unique, so a GROUP BY per column returns nearly as many rows as
    it reads and pays a sort for each: the four columns are read once instead and counted
    here (about a third less time at 60,000 people)."""
    columns = [f"symptoms_{point}" for point in TIME_POINTS]
    rows = list(people.exclude(**{column: "" for column in columns}).values_list(*columns))
    counts = {}
    for index, point in enumerate(TIME_POINTS):
        counts[point] = Counter()
        for answers, n in Counter(map(itemgetter(index), rows)).items():
            for answer in filter(None, answers.split(",")):
                counts[point][answer] += n
    return counts


def _symptoms(people, threshold: int) -> dict[int, list[SymptomRow]]:
    changes = [SymptomChange.BETTER, SymptomChange.SAME, SymptomChange.WORSE]
    result = {}
    for point, counts in _symptom_counts(people).items():
        rows = []
        for symptom in Symptom:
            # One line per symptom, as for time points: people answer several symptoms, so
            # totals across symptoms are not a count of anyone and are not shown.
            line = suppress_row({c.value: counts[f"{symptom.value}={c.value}"] for c in changes},
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


def _benefit_lasting(people, threshold: int) -> SurvivalCurve | None:
    """Months from treatment until a person first reports no change or worse; people who
    never do are counted until their last report (censored). See people.py."""
    followed = people.filter(benefit_months__isnull=False)
    return _curve(*_durations(followed, "benefit_months", "benefit_ended"), threshold)


def _relapse_free(people, threshold: int) -> SurvivalCurve | None:
    """Months from treatment to the first follow-up that reports a relapse."""
    followed = people.filter(relapse_months__isnull=False)
    return _curve(*_durations(followed, "relapse_months", "relapsed"), threshold)


def _durations(people, months: str, event: str) -> tuple[list[float], list[bool]]:
    """Each person's duration and whether the event ended it. Counted by the database: people
    share a few hundred distinct durations, and the curve depends only on how many have each."""
    durations, observed = [], []
    for (value, happened), n in _counts(people, months, event).items():
        durations += [value] * n
        observed += [bool(happened)] * n
    return durations, observed


def _complications(people, threshold: int):
    counts = Counter()
    for (codes, treated_again), n in _counts(people, "complications", "treated_again").items():
        for code in filter(None, codes.split(",")):
            counts[code] += n
        if treated_again:
            counts["treated_again"] += n
    labels = {**dict(Complication.choices), "treated_again": _("Treated again")}
    keys = [c for c in Complication.values if c != Complication.NONE] + ["treated_again"]
    row = suppress_row({key: counts[key] for key in keys}, threshold)
    return {str(labels[key]): n for key, n in row.cells.items()}


def _group_counts(people) -> dict[str, Counter]:
    """For each attribute, how many people have each (value, latest result), from one GROUP BY
    over all four attributes: a few thousand combinations, read once instead of four times."""
    judged = people.exclude(latest="")
    counts = {attribute: Counter() for attribute in GROUP_BY}
    for (*values, latest), n in _counts(judged, *GROUP_BY, "latest").items():
        for attribute, value in zip(GROUP_BY, values, strict=True):
            counts[attribute][(str(value) if value else "unknown", latest)] += n
    return counts


def _breakdowns(people, threshold: int) -> dict[str, list[GroupRow]]:
    """Share better at each person's latest report, by group."""
    result = {}
    for attribute, counts in _group_counts(people).items():
        groups = sorted({value for value, _kind in counts})
        table = suppress({(g, k): counts[(g, k)] for g in groups for k in ("better",
                                                                             "not_better")},
                         row_of=lambda key: key[0], col_of=lambda key: key[1],
                         threshold=threshold)
        rows = []
        for group in groups:
            people_in, better = table.row_totals[group], table.cells[(group, "better")]
            share = (proportion(better, people_in)
                     if None not in (people_in, better) and people_in else None)
            rows.append(GroupRow(group, _group_label(attribute, group), people_in, better,
                                 share))
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
    people = CountedPerson.objects.filter(treatment=treatment)
    return OutcomesSummary(
        threshold=threshold,
        people=_shown(people.count(), threshold),
        computed_at=timezone.now(),
        time_points=_time_points(people, today, threshold),
        symptoms=_symptoms(people, threshold),
        benefit_lasting=_benefit_lasting(people, threshold),
        relapse_free=_relapse_free(people, threshold),
        complications=_complications(people, threshold),
        breakdowns=_breakdowns(people, threshold),
    )
