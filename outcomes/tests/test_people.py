import random

import pytest
from django.forms.models import model_to_dict

from accounts.services import story_erase
from followups.models import FollowUp
from hindsight.testing import make_treatment
from outcomes.models import CountedPerson
from outcomes.people import rebuild_counted_people
from outcomes.tests.helpers import counted_person
from stories.demo.generator import demo_followups, demo_stories
from stories.models import Story, StoryAwaitingReview

pytestmark = pytest.mark.django_db


def _rows() -> dict[int, dict]:
    return {row.pk: model_to_dict(row) for row in CountedPerson.objects.all()}


def test_rows_kept_as_stories_and_follow_ups_are_saved_equal_a_full_rebuild():
    treatment = make_treatment()
    rng = random.Random(5)
    for story in demo_stories(treatment, 60, seed=11):
        story.save()
        for followup in demo_followups(story, rng):
            followup.save()
    kept = _rows()
    assert len(kept) > 20  # the invented mix has people who had the procedure and consented

    counted = rebuild_counted_people()

    assert counted == len(kept)
    assert _rows() == kept


def test_a_follow_up_saved_or_deleted_changes_the_row():
    treatment = make_treatment()
    story = counted_person(treatment, better_at_3=True)
    assert CountedPerson.objects.get(pk=story.pk).at_12 == ""

    followup = FollowUp.objects.create(
        story=story, status=FollowUp.Status.APPROVED, result="no_change",
        reported_on=story.submitted_at.date().replace(year=2025),
    )
    row = CountedPerson.objects.get(pk=story.pk)
    assert (row.at_12, row.latest, row.benefit_ended) == ("not_better", "not_better", True)

    followup.status = FollowUp.Status.REJECTED
    followup.save()
    assert CountedPerson.objects.get(pk=story.pk).at_12 == ""


def test_a_deleted_follow_up_is_forgotten_after_commit(django_capture_on_commit_callbacks):
    treatment = make_treatment()
    story = counted_person(treatment, better_at_3=True, followups=[(12, "no_change")])
    assert CountedPerson.objects.get(pk=story.pk).at_12 == "not_better"

    with django_capture_on_commit_callbacks(execute=True):
        story.followups.get().delete()

    assert CountedPerson.objects.get(pk=story.pk).at_12 == ""


def test_a_story_leaves_when_it_stops_being_counted_even_through_the_moderation_proxy():
    treatment = make_treatment()
    story = counted_person(treatment, better_at_3=True)
    assert CountedPerson.objects.filter(pk=story.pk).exists()

    queued = StoryAwaitingReview.objects.get(pk=story.pk)
    queued.status = Story.Status.PENDING
    queued.save()

    assert not CountedPerson.objects.filter(pk=story.pk).exists()


def test_erasing_a_story_with_follow_ups_removes_its_row(django_capture_on_commit_callbacks):
    treatment = make_treatment()
    story = counted_person(treatment, better_at_3=True, followups=[(3, "much_better"),
                                                                   (12, "no_change")])

    with django_capture_on_commit_callbacks(execute=True):
        story_erase(story=story)

    assert not CountedPerson.objects.exists()
    assert not Story.objects.exists()
