"""Who is counted, and what they reported when: the data behind the outcomes page.

Counted: stories a moderator approved, whose authors consented to statistics and had the
procedure on a known date, with their approved follow-ups. Nothing else is read, so a person
who withdraws consent or is erased is gone from the next computation.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from followups.models import FollowUp
from stories.choices import ProcedureStatus, Result
from stories.models import Story

BETTER = {Result.MUCH_BETTER, Result.LITTLE_BETTER}
NOT_BETTER = {Result.NO_CHANGE, Result.LITTLE_WORSE, Result.MUCH_WORSE}
# The time points shown, in months after treatment, and the reports that stand for each: the
# one nearest the point within its window.
TIME_POINTS = (3, 6, 12, 24)
WINDOWS = {3: (1.5, 4.5), 6: (4.5, 9), 12: (9, 18), 24: (18, 36)}


@dataclass(frozen=True)
class Report:
    months: float
    result: str
    symptoms: dict
    relapses: int | None = None


@dataclass
class Person:
    """One story and its follow-ups, as the statistics see them: no name, no words."""

    treated_on: datetime.date
    ms_type: str
    procedure_kind: str
    country: str
    complications: list[str]
    treated_again: str
    reports: list[Report] = field(default_factory=list)

    def months_followable(self, today: datetime.date) -> float:
        return _months_between(self.treated_on, today)

    def report_at(self, point: int) -> Report | None:
        low, high = WINDOWS[point]
        in_window = [r for r in self.reports if low <= r.months < high]
        return min(in_window, key=lambda r: abs(r.months - point), default=None)

    @property
    def last_report_months(self) -> float:
        return max((r.months for r in self.reports), default=0.0)


def _months_between(start: datetime.date, end: datetime.date) -> float:
    return (end - start).days / 30.4375


def counted_stories(treatment=None):
    stories = Story.objects.all() if treatment is None else Story.objects.filter(
        treatment=treatment
    )
    return stories.filter(
        status=Story.Status.APPROVED,
        consent_statistics=True,
        procedure_status=ProcedureStatus.HAD,
        treated_year__isnull=False,
    )


def build_cohort(treatment) -> list[Person]:
    """Everyone counted for this treatment, each with their reports in time order. Two queries,
    reading only the columns the statistics use."""
    return list(people_by_story(counted_stories(treatment)).values())


def people_by_story(stories) -> dict[int, Person]:
    """The counted people among `stories` (a queryset of counted stories), by story id."""
    rows = stories.values_list(
        "id", "treated_year", "treated_month", "submitted_at", "result", "symptoms", "ms_type",
        "procedure_kind", "country", "complications", "treated_again",
    )
    people: dict[int, Person] = {}
    for (story_id, year, month, submitted_at, result, symptoms, ms_type, kind, country,
         complications, treated_again) in rows.iterator(chunk_size=5000):
        treated_on = datetime.date(year, month or 7, 1 if month else 2)
        person = Person(treated_on, ms_type, kind, str(country or ""), complications or [],
                        treated_again)
        if result:
            person.reports.append(Report(
                _months_between(treated_on, submitted_at.date()), result, symptoms or {}
            ))
        people[story_id] = person
    followups = FollowUp.objects.filter(
        story__in=stories, status=FollowUp.Status.APPROVED
    ).values_list("story_id", "reported_on", "result", "symptoms", "relapses_since_last",
                  "new_complications")
    extra_complications: dict[int, list[str]] = defaultdict(list)
    for story_id, reported_on, result, symptoms, relapses, new in followups.iterator(
        chunk_size=5000
    ):
        person = people.get(story_id)
        if person is None:
            continue
        person.reports.append(Report(_months_between(person.treated_on, reported_on), result,
                                     symptoms or {}, relapses))
        extra_complications[story_id].extend(new or [])
    for story_id, person in people.items():
        person.reports.sort(key=lambda r: r.months)
        person.complications = [*person.complications, *extra_complications[story_id]]
    return people
