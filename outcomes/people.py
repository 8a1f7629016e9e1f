"""Keeping `CountedPerson` rows true: one row per counted story, rebuilt from the story and its
follow-ups whenever either is saved or deleted, so the outcomes page reads narrow rows instead
of every report. `rebuild_counted_people` redoes them all (after bulk loads)."""

from django.db import transaction

from outcomes.cohort import (
    BETTER,
    NOT_BETTER,
    TIME_POINTS,
    Person,
    counted_stories,
    people_by_story,
)
from outcomes.models import CountedPerson
from outcomes.tallies import rebuild_moderation_tallies
from stories.choices import Complication, SymptomChange

SHOWN_CHANGES = {SymptomChange.BETTER, SymptomChange.SAME, SymptomChange.WORSE}


def _judged(result: str) -> str:
    if result in BETTER:
        return "better"
    if result in NOT_BETTER:
        return "not_better"
    return ""


def counted_person_row(story_id: int, treatment_id: int, person: Person) -> CountedPerson:
    row = CountedPerson(
        story_id=story_id, treatment_id=treatment_id, treated_on=person.treated_on,
        treatment_year=person.treated_on.year,
        ms_type=person.ms_type or "", procedure_kind=person.procedure_kind or "",
        country=person.country or "",
        complications=",".join(sorted(set(person.complications) - {Complication.NONE})),
        treated_again=person.treated_again == "yes",
    )
    for point in TIME_POINTS:
        report = person.report_at(point)
        setattr(row, f"at_{point}", _judged(report.result) if report else "")
        setattr(row, f"symptoms_{point}", ",".join(
            f"{symptom}={change}" for symptom, change in sorted(report.symptoms.items())
            if change in SHOWN_CHANGES
        ) if report else "")
    judged = [r for r in person.reports if _judged(r.result)]
    if judged:
        row.latest = _judged(judged[-1].result)
        # Benefit lasts until the first report of no change or worse; people who never give
        # one are followed until their last judged report (censored).
        first_not_better = next((r for r in judged if r.result in NOT_BETTER), None)
        row.benefit_ended = first_not_better is not None
        row.benefit_months = max((first_not_better or judged[-1]).months, 0.01)
    followups = [r for r in person.reports if r.relapses is not None]
    if followups:
        first_relapse = next((r for r in followups if r.relapses > 0), None)
        row.relapsed = first_relapse is not None
        row.relapse_months = max((first_relapse or followups[-1]).months, 0.01)
    return row


def refresh_counted_person(story_id: int) -> None:
    """Rebuild one story's row (or remove it if the story is no longer counted)."""
    stories = counted_stories().filter(pk=story_id)
    people = people_by_story(stories)
    with transaction.atomic():
        CountedPerson.objects.filter(story_id=story_id).delete()
        if story_id in people:
            treatment_id = stories.values_list("treatment_id", flat=True).get()
            counted_person_row(story_id, treatment_id, people[story_id]).save(
                force_insert=True
            )


def rebuild_counted_people(batch_size: int = 5000) -> int:
    """Rebuild every row derived from the stories, the moderation tallies too (bulk loads and
    restores call this and need both); returns how many people are counted."""
    rebuild_moderation_tallies(batch_size)
    return rebuild_counted_person_rows(batch_size)


def rebuild_counted_person_rows(batch_size: int = 5000) -> int:
    """Rebuild every `CountedPerson` row from the stories; returns how many people are
    counted."""
    stories = counted_stories()
    treatment_of = dict(stories.values_list("pk", "treatment_id"))
    people = people_by_story(stories)
    with transaction.atomic():
        CountedPerson.objects.all().delete()
        CountedPerson.objects.bulk_create(
            (counted_person_row(story_id, treatment_of[story_id], person)
             for story_id, person in people.items()),
            batch_size=batch_size,
        )
    return len(people)
