"""The counts behind the summary, each read from the database in as few passes as possible,
checked against the same counts made here in Python, person by person."""

import random
from collections import Counter

import pytest

from hindsight.testing import make_treatment
from outcomes.cohort import TIME_POINTS
from outcomes.models import CountedPerson
from outcomes.selectors import GROUP_BY, _durations, _group_counts, _symptom_counts
from stories.demo.generator import demo_followups, demo_stories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    treatment = make_treatment()
    rng = random.Random(7)
    for story in demo_stories(treatment, 80, seed=21):
        story.save()
        for followup in demo_followups(story, rng):
            followup.save()
    people = CountedPerson.objects.filter(treatment=treatment)
    assert people.count() > 30
    return people


def test_symptom_counts_match_a_count_person_by_person(people):
    expected = {point: Counter() for point in TIME_POINTS}
    for person in people:
        for point in TIME_POINTS:
            for answer in filter(None, getattr(person, f"symptoms_{point}").split(",")):
                expected[point][answer] += 1

    assert _symptom_counts(people) == expected
    assert sum(expected[12].values()) > 0


def test_group_counts_match_a_count_person_by_person(people):
    expected = {attribute: Counter() for attribute in GROUP_BY}
    for person in people:
        if person.latest:
            for attribute in GROUP_BY:
                value = getattr(person, attribute)
                expected[attribute][(str(value) if value else "unknown", person.latest)] += 1

    assert _group_counts(people) == expected


@pytest.mark.parametrize("months,event", [("benefit_months", "benefit_ended"),
                                          ("relapse_months", "relapsed")])
def test_durations_are_everyone_followed_each_once(people, months, event):
    followed = people.filter(**{f"{months}__isnull": False})
    expected = sorted((getattr(p, months), getattr(p, event)) for p in followed)

    durations, observed = _durations(followed, months, event)

    assert sorted(zip(durations, observed, strict=True)) == expected
    assert len(expected) > 10
