"""The analysis plan (docs/analysis-plan.md) in code: who a person is, when their time starts,
which report counts at each time point, and when someone is followed. Pure functions over plain
rows, with no database, so that the rules can be read and tested on their own; cohort.py reads
the rows, selectors.py counts the people.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from stories.choices import Complication, Result
from stories.dates import earliest_treatment_day

DAYS_PER_MONTH = 30.4375
BETTER = frozenset({Result.MUCH_BETTER, Result.LITTLE_BETTER})
NOT_BETTER = frozenset({Result.NO_CHANGE, Result.LITTLE_WORSE, Result.MUCH_WORSE})
# The time points, in months after treatment, and the window of reports that stands for each.
TIME_POINTS = (3, 6, 12, 24)
WINDOWS = {3: (1.5, 4.5), 6: (4.5, 9.0), 12: (9.0, 18.0), 24: (18.0, 36.0)}


def judged(result: str) -> str:
    """"better", "not_better", or "" for no result ("too early to tell", or nothing)."""
    if result in BETTER:
        return "better"
    if result in NOT_BETTER:
        return "not_better"
    return ""


def time_zero(year: int | None, month: int | None) -> datetime.date | None:
    """The day a person's time starts: the 1st of the month of treatment. None when the month
    is not known: such people are left out of everything measured in months after treatment."""
    if isinstance(month, int) and 1 <= month <= 12:
        return earliest_treatment_day(year, month)
    return None


def months_between(start: datetime.date, end: datetime.date) -> float:
    return (end - start).days / DAYS_PER_MONTH


def point_reached(zero: datetime.date, point: int, today: datetime.date) -> bool:
    """Whether `point` whole months have passed since time zero by `today`."""
    months = (today.year - zero.year) * 12 + today.month - zero.month
    return months > point or (months == point and today.day >= zero.day)


@dataclass(frozen=True)
class Report:
    """One dated report: a story (its result when written) or a follow-up."""

    on: datetime.date
    months: float | None  # after time zero; None when time zero is unknown
    result: str
    symptoms: Mapping[str, str]
    relapses: int | None = None  # follow-ups only: relapses since the report before


@dataclass(frozen=True)
class FollowedSpan:
    """When a person joined a time-to-event analysis, when they were last seen in it, and
    whether the event ended it (in months after time zero)."""

    entry: float
    exit: float
    event: bool
    public: bool = False  # the person's reports are all public already


@dataclass(frozen=True)
class Person:
    """One person (one confirmed identity) as the statistics see them: no name, no words.

    Their first treatment of this kind (the index treatment) starts their time; a later one is
    an event of the same person ("treated again"), and reports made after it are not counted
    as results of the first.
    """

    treated_on: datetime.date  # earliest possible day of the index treatment
    time_zero: datetime.date | None
    ms_type: str
    procedure_kind: str
    country: str
    entry: float | None  # months after time zero when we first heard from them (0 if before)
    prospective: bool  # recorded a baseline before their treatment
    reports: tuple[Report, ...]  # counted reports, in date order
    complications: frozenset[str]
    treated_again: bool
    # A reader knows their reports: their one counted story is published, with the approved
    # follow-ups under it. Two stories are not: which stories are one person's is not shown.
    public: bool = False
    # What of the above a published page shows (follow-ups' "narrowed again" and "treated
    # again" answers are counted but not shown on the story page).
    complications_shown: frozenset[str] = frozenset()
    treated_again_shown: bool = False

    @property
    def treatment_year(self) -> int:
        return self.treated_on.year

    def result_at(self, point: int) -> Report | None:
        """The latest report with a result in the point's window; "too early to tell" is not a
        result and never stands in for one."""
        low, high = WINDOWS[point]
        in_window = [r for r in self.reports if r.months is not None
                     and low <= r.months < high and judged(r.result)]
        return in_window[-1] if in_window else None

    def could_report_at(self, point: int, today: datetime.date) -> bool:
        """Counted at a time point: the point has passed, and they had joined before its
        window closed (someone who first wrote years later cannot have reported at 3 months,
        so they are not counted as someone who gave no result then)."""
        if self.time_zero is None or self.entry is None:
            return False
        return point_reached(self.time_zero, point, today) and self.entry < WINDOWS[point][1]

    @property
    def latest(self) -> str:
        """The latest "better" or "not_better" they reported, or ""."""
        return next((j for r in reversed(self.reports) if (j := judged(r.result))), "")

    @property
    def first_result(self) -> str:
        """Their first "better" or "not_better", or ""."""
        return next((j for r in self.reports if (j := judged(r.result))), "")

    def benefit_span(self) -> FollowedSpan | None:
        """For people whose first result was "better": from that report (or from joining, if
        they wrote it down before they joined) until the first later report of no change or
        worse (the event), or their last report with a result. Someone whose benefit had
        already ended when they joined is not in the curve: they were never followed while
        it lasted."""
        timed = [r for r in self.reports if r.months is not None and judged(r.result)]
        if self.entry is None or not timed or judged(timed[0].result) != "better":
            return None
        entry = max(timed[0].months, self.entry)
        ended = next((r for r in timed[1:] if judged(r.result) == "not_better"), None)
        if ended is not None and ended.months < entry:
            return None
        last = ended or timed[-1]
        return FollowedSpan(entry=entry, exit=max(last.months, entry), event=ended is not None,
                            public=self.public)

    def relapse_span(self) -> FollowedSpan | None:
        """From joining until the first follow-up that reports a relapse (the event), or the
        last follow-up that answered the question."""
        if self.entry is None:
            return None
        asked = [r for r in self.reports if r.relapses is not None and r.months is not None
                 and r.months >= self.entry]
        if not asked:
            return None
        relapsed = next((r for r in asked if r.relapses > 0), None)
        last = relapsed or asked[-1]
        return FollowedSpan(entry=self.entry, exit=last.months, event=relapsed is not None,
                            public=self.public)


def identity_of(story: Mapping, account_of_address: Mapping[str, int]) -> tuple[str, object]:
    """One person, one key: their account, or for a story not linked to one, the account that
    confirmed the same address, or else the address itself (compared here, never shown)."""
    address = normal_address(story.get("email"))
    account = story.get("author_id") or account_of_address.get(address)
    return ("account", account) if account else ("address", address)


def normal_address(address: str | None) -> str:
    return (address or "").strip().lower()


def people_from_rows(stories: Iterable[Mapping], followups: Iterable[Mapping],
                     with_baseline: Collection[int], account_of_address: Mapping[str, int],
                     today: datetime.date) -> list[Person]:
    """The people behind these counted stories and their approved follow-ups.

    `stories`: dicts with id, author_id, email, treated_year, treated_month, submitted_on,
    result, symptoms, ms_type, procedure_kind, country, complications, treated_again,
    consent_publish.
    `followups`: dicts with story_id, reported_on, result, symptoms, relapses_since_last,
    new_complications, restenosis, repeat_procedure. `with_baseline`: ids of the stories whose
    authors recorded a baseline before treatment. `account_of_address`: confirmed addresses
    (normalised) and the account that confirmed each. Reports dated after `today` are not
    counted (the forms refuse them).
    """
    stories = [s for s in stories
               if earliest_treatment_day(s["treated_year"], s["treated_month"]) is not None]
    followups_of: dict[int, list[Mapping]] = defaultdict(list)
    for followup in followups:
        followups_of[followup["story_id"]].append(followup)
    stories_of: dict[tuple, list[Mapping]] = defaultdict(list)
    for story in stories:
        stories_of[identity_of(story, account_of_address)].append(story)
    return [_person(_treatments(own), followups_of, with_baseline, today)
            for own in stories_of.values()]


def _month(story: Mapping) -> int | None:
    month = story["treated_month"]
    return month if isinstance(month, int) and 1 <= month <= 12 else None


def _same_treatment(one: Mapping, other: Mapping) -> bool:
    if one["treated_year"] != other["treated_year"]:
        return False
    return None in (_month(one), _month(other)) or _month(one) == _month(other)


def _treatments(stories: list[Mapping]) -> list[list[Mapping]]:
    """A person's stories grouped by treatment, earliest first. Two stories are about the same
    treatment when they give the same year and month, or the same year and one gives no month
    (a duplicate, or the same procedure told twice): only a later treatment is "treated
    again". Within a treatment, a story that gives the month comes first."""
    ordered = sorted(stories, key=lambda s: (
        earliest_treatment_day(s["treated_year"], s["treated_month"]), s["id"]))
    treatments: list[list[Mapping]] = []
    for story in ordered:
        same = next((group for group in treatments
                     if any(_same_treatment(story, member) for member in group)), None)
        if same is None:
            treatments.append([story])
        else:
            same.append(story)
    for group in treatments:
        group.sort(key=lambda s: (_month(s) is None, s["id"]))
    return treatments


def _person(treatments: list[list[Mapping]], followups_of: Mapping[int, list[Mapping]],
            with_baseline: Collection[int], today: datetime.date) -> Person:
    stories = [story for group in treatments for story in group]
    index = treatments[0][0]
    start = min(earliest_treatment_day(s["treated_year"], s["treated_month"])
                for s in treatments[0])
    zero = time_zero(index["treated_year"], index["treated_month"])
    later = treatments[1][0] if len(treatments) > 1 else None
    cut = earliest_treatment_day(later["treated_year"], later["treated_month"]) if later else None

    def months(day: datetime.date) -> float | None:
        return None if zero is None else months_between(zero, day)

    reports: list[Report] = []
    complications: set[str] = set()
    shown: set[str] = set()  # named in a story or in a follow-up's new complications
    treated_again = len(treatments) > 1
    again_shown = False
    for story in stories:
        complications.update(_codes(story.get("complications")))
        shown.update(_codes(story.get("complications")))
        treated_again |= story.get("treated_again") == "yes"
        again_shown |= story.get("treated_again") == "yes"
        if start <= story["submitted_on"] <= today and (cut is None
                                                          or story["submitted_on"] < cut):
            reports.append(Report(story["submitted_on"], months(story["submitted_on"]),
                                  story.get("result") or "", _answers(story.get("symptoms"))))
        for followup in followups_of.get(story["id"], ()):
            day = followup["reported_on"]
            if day < start or day > today:  # refused on entry; never counted if one got in
                continue
            complications.update(_codes(followup.get("new_complications")))
            shown.update(_codes(followup.get("new_complications")))
            if followup.get("restenosis") == "yes":
                complications.add(Complication.RESTENOSIS)
            treated_again |= followup.get("repeat_procedure") == "yes"
            if cut is None or day < cut:
                relapses = followup.get("relapses_since_last")
                reports.append(Report(day, months(day), followup.get("result") or "",
                                      _answers(followup.get("symptoms")),
                                      relapses if isinstance(relapses, int) else None))
    reports.sort(key=lambda r: (r.on, r.relapses is not None))
    # Someone who recorded a baseline (the form takes one only before treatment) was with us
    # from the start; anyone else joins when their story came in.
    prospective = index["id"] in with_baseline
    entry = None if zero is None else (
        0.0 if prospective else max(0.0, months_between(zero, index["submitted_on"]))
    )
    return Person(
        treated_on=start, time_zero=zero, ms_type=index.get("ms_type") or "",
        procedure_kind=index.get("procedure_kind") or "", country=str(index.get("country") or ""),
        entry=entry, prospective=prospective,
        reports=tuple(reports), complications=frozenset(complications) - {Complication.NONE},
        treated_again=treated_again,
        # Published stories show their answers and their approved follow-ups to anyone.
        public=len(stories) == 1 and bool(stories[0].get("consent_publish")),
        complications_shown=frozenset(shown),
        treated_again_shown=again_shown,
    )


def _answers(value) -> Mapping[str, str]:
    """Symptom answers as stored; anything else (a damaged row) counts as no answers."""
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _codes(value) -> frozenset[str]:
    if not isinstance(value, list | tuple):
        return frozenset()
    return frozenset(code for code in value if isinstance(code, str))
