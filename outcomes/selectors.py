"""The outcomes of one treatment, counted from its people (cohort.py reads them, definitions.py
says who they are and what counts) and made safe to publish: every count below the threshold
hidden, with enough others that none can be worked back out (see statistics.suppress)."""

import datetime
import math
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import accumulate

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from outcomes.cohort import build_cohort, counted_stories
from outcomes.definitions import TIME_POINTS, FollowedSpan, Person, judged
from outcomes.statistics import (
    CurvePoint,
    DropoutBounds,
    Proportion,
    bounds_with_dropout,
    kaplan_meier_with_entry,
    proportion,
    publish_count,
    publish_lines,
    publish_row,
    publish_table,
)
from stories.choices import Complication, MsType, ProcedureKind, Symptom, SymptomChange

GROUP_BY = ("ms_type", "procedure_kind", "treatment_year", "country")
OTHER = "other"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class TimePoint:
    months: int
    eligible: int | None  # treated at least this long ago, and with us by the window's end
    reporting: int | None  # gave a result in this point's window
    better: int | None
    not_better: int | None
    no_result: int | None  # eligible, but gave no result in the window
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


@dataclass(frozen=True)
class Curve:
    """A time-to-event curve as published: whole months from `start`, only while at least the
    threshold of people are followed. `median` is the first month shown at or below one half,
    or None when the shown part never gets there (which says nothing about later months)."""

    people: int
    start: int
    points: tuple[CurvePoint, ...]

    @property
    def median(self) -> int | None:
        return next((p.time for p in self.points if p.survival <= 0.5 + 1e-9), None)

    @property
    def last(self) -> CurvePoint:
        return self.points[-1]


@dataclass
class OutcomesSummary:
    threshold: int
    people: int | None
    computed_at: datetime.datetime
    time_points: list[TimePoint] = field(default_factory=list)
    first_not_better: Proportion | None = None  # first result was not "better"
    symptoms: dict[int, list[SymptomRow]] = field(default_factory=dict)
    benefit_lasting: Curve | None = None
    relapse_free: Curve | None = None
    complications: dict[str, int | None] = field(default_factory=dict)
    breakdowns: dict[str, list[GroupRow]] = field(default_factory=dict)
    invented: bool = False  # some of the people counted are invented demo data

    def time_point(self, months: int) -> TimePoint | None:
        return next((tp for tp in self.time_points if tp.months == months), None)


class Tally:
    """Counts of people, and the protected part of each: the people whose reports are not all
    public already (docs/disclosure.md). Decisions to show are made on the protected parts."""

    def __init__(self) -> None:
        self.all: Counter = Counter()
        self.protected: Counter = Counter()

    def add(self, person: Person, *keys, n: int = 1, public: bool | None = None) -> None:
        """Count `person` under each key; `public` says whether a reader knows it (by default,
        whether the person is public)."""
        known = person.public if public is None else public
        for key in keys:
            self.all[key] += n
            if not known:
                self.protected[key] += n

    def of(self, keys) -> tuple[dict, dict]:
        return ({key: self.all[key] for key in keys}, {key: self.protected[key] for key in keys})


def _time_points(people: list[Person], today: datetime.date, threshold: int) -> list[TimePoint]:
    rows = []
    for point in TIME_POINTS:
        tally = Tally()
        for person in people:
            if person.could_report_at(point, today):
                report = person.result_at(point)
                result = judged(report.result) if report else "no_result"
                tally.add(person, "eligible", result,
                          *(("reporting",) if result != "no_result" else ()))
        # Each time point is its own table: the same people appear at every point, so sums
        # across points mean nothing and are never shown.
        cells = publish_lines(
            *tally.of(("better", "not_better", "no_result", "reporting", "eligible")),
            [(("better", "not_better"), "reporting"), (("reporting", "no_result"), "eligible")],
            threshold,
        )
        bounds = None
        if None not in cells.values() and cells["eligible"]:
            bounds = bounds_with_dropout(cells["better"], cells["reporting"], cells["eligible"])
        rows.append(TimePoint(point, cells["eligible"], cells["reporting"], cells["better"],
                              cells["not_better"], cells["no_result"], bounds))
    return rows


def _first_not_better(people: list[Person], threshold: int) -> Proportion | None:
    firsts = Tally()
    for person in people:
        if person.first_result:
            firsts.add(person, person.first_result)
    row = publish_row(*firsts.of(("better", "not_better")), threshold)
    if None in (row.cells["not_better"], row.total) or not row.total:
        return None
    return proportion(row.cells["not_better"], row.total)


def _symptoms(people: list[Person], today: datetime.date,
              threshold: int) -> dict[int, list[SymptomRow]]:
    changes = [SymptomChange.BETTER, SymptomChange.SAME, SymptomChange.WORSE]
    result = {}
    for point in TIME_POINTS:
        tally = Tally()
        for person in people:
            report = person.result_at(point) if person.could_report_at(point, today) else None
            if report:
                tally.add(person, *(f"{symptom}={change}"
                                    for symptom, change in report.symptoms.items()))
        rows = []
        for symptom in Symptom:
            # One line per symptom: people answer several symptoms, so totals across symptoms
            # are not a count of anyone and are not shown.
            counts, protected = tally.of([f"{symptom.value}={c.value}" for c in changes])
            line = publish_row({c.value: counts[f"{symptom.value}={c.value}"] for c in changes},
                               {c.value: protected[f"{symptom.value}={c.value}"]
                                for c in changes}, threshold)
            cells, total = dict(line.cells), line.total
            better = cells["better"]
            share = proportion(better, total) if None not in (better, total) and total else None
            rows.append(SymptomRow(symptom.value, str(symptom.label), cells, share))
        result[point] = rows
    return result


def _curve(spans: list[FollowedSpan], threshold: int) -> Curve | None:
    """The curve as it may be published (docs/analysis-plan.md, "Curves").

    Times are rounded to whole months first, so a report at 11.99 months counts at 12. The
    curve starts at the first month after which at least `threshold` people are still followed
    (the estimate is then among those still without the event then) and stops before the
    first month after which fewer are. Between one published month and the next, the people
    who had the event, who joined and who stopped being followed must each number 0 or at
    least `threshold`; other months are left out, so that no step of the curve, and no change
    in the number still followed, is the story of fewer people than that.
    """
    if len(spans) < threshold:
        return None
    # Someone followed for less than a whole month (after rounding) adds nothing.
    spans = [rounded for span in spans
             if (rounded := FollowedSpan(_whole(span.entry), _whole(span.exit), span.event,
                                         span.public)).exit > rounded.entry]
    if len(spans) < threshold:
        return None
    last = max(span.exit for span in spans)
    # By month: how many joined, and how many stopped being followed, among everyone; how many
    # joined, had the event and stopped without it among the protected. Running sums of these
    # answer every question below in one step, whatever the number of people.
    months = last + 2
    joined_all, left_all = [0] * months, [0] * months
    joined_protected, events_protected, censored_protected = [0] * months, [0] * months, \
        [0] * months
    for span in spans:
        joined_all[span.entry] += 1
        left_all[span.exit] += 1
        if not span.public:
            joined_protected[span.entry] += 1
            (events_protected if span.event else censored_protected)[span.exit] += 1
    joined_all, left_all, joined_protected, events_protected, censored_protected = (
        list(accumulate(counts)) for counts in (joined_all, left_all, joined_protected,
                                                events_protected, censored_protected))

    def followed_after(month: int) -> int:  # entry <= month < exit
        return joined_all[month] - left_all[month]

    def protected_followed_after(month: int) -> int:
        return (joined_protected[month] - events_protected[month]
                - censored_protected[month])

    def safe(n: int) -> bool:
        return n == 0 or n >= threshold

    start = next((m for m in range(last + 1) if followed_after(m) >= threshold
                  and safe(protected_followed_after(m))), None)
    if start is None:
        return None
    shown = [start]
    for month in range(start + 1, last + 1):
        if followed_after(month) < threshold:
            break
        # Only the protected people's changes since the last shown month are not public.
        before = shown[-1]
        changes = (joined_protected[month] - joined_protected[before],
                   events_protected[month] - events_protected[before],
                   censored_protected[month] - censored_protected[before],
                   protected_followed_after(month))
        if all(safe(n) for n in changes):
            shown.append(month)
    # Every change inside a gap between two shown months is taken at the gap's end (people
    # who joined in it are followed from its start): the estimate at a shown month then depends
    # only on the totals audited above, not on how they were spread over the gap.
    def joined(month: int) -> int:
        at = bisect_left(shown, month)
        return shown[at - 1] if at else start

    def left(month: int) -> int:
        at = bisect_left(shown, month)
        return shown[at] if at < len(shown) else last + 1

    still = [span for span in spans if span.exit > start]
    points = kaplan_meier_with_entry(
        [(joined(max(s.entry, start)), left(s.exit), s.event) for s in still], shown)
    followed = [replace(point, followed=followed_after(point.time)) for point in points]
    return Curve(people=len(spans), start=start, points=tuple(followed))


def _whole(months: float) -> int:
    return math.floor(months + 0.5)


def _complications(people: list[Person], threshold: int) -> dict[str, int | None]:
    """People reporting each complication at any time, from their stories and follow-ups. Each
    is its own count out of everyone counted; no sums across them are shown."""
    tally = Tally()
    for person in people:
        shown = person.complications & person.complications_shown
        tally.add(person, *shown)
        tally.add(person, *(person.complications - shown), public=False)
        if person.treated_again:
            tally.add(person, "treated_again",
                      public=person.public and person.treated_again_shown)
    labels = {**dict(Complication.choices), "treated_again": _("Treated again")}
    keys = [c for c in Complication.values if c != Complication.NONE] + ["treated_again"]
    return {str(labels[key]): publish_count(tally.all[key], tally.protected[key], threshold)
            for key in keys}


def _group_values(attribute: str, protected: Counter, threshold: int) -> list[str]:
    """The rows of a group table. They never depend on who is counted, except that a year or
    country has a row of its own only when at least `threshold` people not public already are
    in it (the rest are "other"): a row that exists says nothing about anyone."""
    if attribute == "ms_type":
        return [*MsType.values, UNKNOWN]
    if attribute == "procedure_kind":
        return [*ProcedureKind.values, UNKNOWN]
    people_in = Counter()
    for (value, _latest), n in protected.items():
        people_in[value] += n
    own = sorted(value for value, n in people_in.items()
                 if n >= threshold and value not in (UNKNOWN, OTHER))
    return [*own, OTHER, UNKNOWN]


def _breakdowns(people: list[Person], threshold: int) -> dict[str, list[GroupRow]]:
    """Share better at each person's latest report, by group."""
    result = {}
    for attribute in GROUP_BY:
        tally = Tally()
        for person in people:
            if person.latest:
                tally.add(person, (str(getattr(person, attribute) or UNKNOWN), person.latest))
        groups = _group_values(attribute, tally.protected, threshold)
        merged = Tally()
        for counter, into in ((tally.all, merged.all), (tally.protected, merged.protected)):
            for (value, latest), n in counter.items():
                into[(value if value in groups else OTHER, latest)] += n
        keys = [(g, k) for g in groups for k in ("better", "not_better")]
        suppressed = publish_table(*merged.of(keys), row_of=lambda key: key[0],
                                   col_of=lambda key: key[1], threshold=threshold)
        rows = []
        for group in groups:
            people_in, better = suppressed.row_totals[group], suppressed.cells[(group, "better")]
            share = (proportion(better, people_in)
                     if None not in (people_in, better) and people_in else None)
            rows.append(GroupRow(group, _group_label(attribute, group), people_in, better,
                                 share))
        result[attribute] = rows
    return result


def _group_label(attribute: str, value: str) -> str:
    if value == UNKNOWN:
        return str(_("Not given"))
    if value == OTHER:
        return str({"treatment_year": _("Other years"),
                    "country": _("Other countries")}.get(attribute, _("Other")))
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
    people = build_cohort(treatment, today)
    summary = summary_of(people, today=today, threshold=threshold)
    summary.invented = counted_stories(treatment).filter(is_demo=True).exists()
    return summary


def summary_of(people: list[Person], *, today: datetime.date,
               threshold: int) -> OutcomesSummary:
    benefit = [span for person in people if (span := person.benefit_span())]
    relapse = [span for person in people if (span := person.relapse_span())]
    return OutcomesSummary(
        threshold=threshold,
        people=publish_count(len(people), sum(not p.public for p in people), threshold),
        computed_at=timezone.now(),
        time_points=_time_points(people, today, threshold),
        first_not_better=_first_not_better(people, threshold),
        symptoms=_symptoms(people, today, threshold),
        benefit_lasting=_curve(benefit, threshold),
        relapse_free=_curve(relapse, threshold),
        complications=_complications(people, threshold),
        breakdowns=_breakdowns(people, threshold),
    )

