"""Moderation in the open is counted from `ModerationTally` rows. These tests check the counts
against a reference made here in Python from the stories, follow-ups and decisions themselves,
after every kind of change the rows must follow."""

import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from accounts.services import story_erase
from followups.models import FollowUp
from followups.services import followup_approve, followup_reject
from hindsight.testing import make_moderator, make_story, make_treatment
from moderation.models import Action
from moderation.services import decision_record, decisions_for
from outcomes.models import ModerationTally
from outcomes.tallies import rebuild_moderation_tallies
from outcomes.transparency import followup_moderation_counts, story_moderation_counts
from stories import services
from stories.demo.generator import demo_followups, demo_stories
from stories.models import Story, StoryAwaitingReview

pytestmark = pytest.mark.django_db

OUTCOME = {"approved": "published", "pending": "waiting", "rejected": "rejected"}


def _reference(treatment) -> tuple[dict, dict]:
    stories, followups = Counter(), Counter()
    for story in Story.objects.filter(treatment=treatment):
        if story.status == Story.Status.UNCONFIRMED:
            continue
        stories[("received", story.result)] += 1
        if story.status == Story.Status.APPROVED:
            stories[("published", story.result)] += 1
        elif story.status == Story.Status.PENDING:
            stories[("waiting", story.result)] += 1
        elif story.status == Story.Status.WITHDRAWN:
            stories[("withdrawn", story.result)] += 1
        elif story.status == Story.Status.REJECTED:
            latest = decisions_for(story).filter(action=Action.REJECT).order_by(
                "-created_at", "-id"
            ).first()
            reason = latest.reason if latest and latest.reason else "other"
            stories[(f"rejected:{reason}", story.result)] += 1
    for followup in FollowUp.objects.filter(story__treatment=treatment):
        followups[("received", followup.result)] += 1
        followups[(OUTCOME[followup.status], followup.result)] += 1
    return dict(stories), dict(followups)


def _counts(treatment) -> tuple[dict, dict]:
    return story_moderation_counts(treatment), followup_moderation_counts(treatment)


def _rows() -> list[dict]:
    return sorted((model_to_dict(row, exclude=["id"]) for row in ModerationTally.objects.all()),
                  key=lambda row: sorted(row.items()))


def _mixed_stories(treatment, count: int, seed: int) -> list[Story]:
    rng = random.Random(seed)
    statuses = [Story.Status.APPROVED] * 5 + [
        Story.Status.PENDING, Story.Status.UNCONFIRMED, Story.Status.WITHDRAWN
    ]
    stories = []
    for story in demo_stories(treatment, count, seed=seed):
        story.status = rng.choice(statuses)
        story.save()
        for followup in demo_followups(story, rng):
            followup.status = rng.choice(list(FollowUp.Status))
            followup.save()
        stories.append(story)
    return stories


def test_counts_follow_every_kind_of_change_and_match_the_reference(
    django_capture_on_commit_callbacks,
):
    treatment, other = make_treatment(), make_treatment(slug="other", name="Other")
    moderator = make_moderator()
    stories = _mixed_stories(treatment, 60, seed=3)
    _mixed_stories(other, 20, seed=4)
    pending = [s for s in stories if s.status == Story.Status.PENDING]
    approved = [s for s in stories if s.status == Story.Status.APPROVED]
    with_followups = [s for s in approved if s.followups.exists()]
    assert len(pending) >= 3 and len(approved) >= 10 and len(with_followups) >= 4

    with django_capture_on_commit_callbacks(execute=True):
        services.story_reject(story=pending[0], moderator=moderator, reason="spam")
        services.story_reject(story=approved[0], moderator=moderator, reason="other",
                              note="Not about the procedure.")
        services.story_approve(story=pending[1], moderator=moderator)
        services.story_withdraw(story=approved[1])
        story_erase(story=approved[2])
        queued = StoryAwaitingReview.objects.get(pk=approved[3].pk)
        queued.status = Story.Status.PENDING
        queued.save()
        waiting = with_followups[0].followups.first()
        waiting.status = FollowUp.Status.PENDING
        waiting.save()
        followup_approve(followup=waiting, moderator=moderator)
        followup_reject(followup=with_followups[1].followups.first(), moderator=moderator,
                        reason="identifying")
        with_followups[2].followups.first().delete()
        FollowUp.objects.create(story=with_followups[3], status=FollowUp.Status.PENDING,
                                result="no_change", reported_on=with_followups[3].submitted_at)

    assert _counts(treatment) == _reference(treatment)
    assert _counts(other) == _reference(other)
    assert any(outcome.startswith("rejected:spam") for outcome, _r in _counts(treatment)[0])


def test_rows_kept_as_stories_and_follow_ups_change_equal_a_full_rebuild():
    treatment = make_treatment()
    _mixed_stories(treatment, 40, seed=8)
    kept = _rows()
    assert len(kept) > 40  # a row per story, and more for their follow-ups

    rebuild_moderation_tallies(batch_size=7)

    assert _rows() == kept


def test_the_full_rebuild_makes_the_rows_the_signals_made():
    treatment = make_treatment()
    _mixed_stories(treatment, 10, seed=1)
    expected = _rows()
    ModerationTally.objects.all().delete()

    rebuild_moderation_tallies()

    assert _rows() == expected


def test_a_rejection_is_counted_under_its_latest_reason():
    treatment = make_treatment()
    moderator = make_moderator()
    story = make_story(treatment, status=Story.Status.PENDING, result="no_change")
    services.story_reject(story=story, moderator=moderator, reason="spam")
    decision_record(subject=story, action=Action.REJECT, moderator=moderator,
                    reason="identifying")

    counts = story_moderation_counts(treatment)

    assert counts[("rejected:identifying", "no_change")] == 1
    assert ("rejected:spam", "no_change") not in counts


def test_a_story_without_a_result_is_counted_in_the_no_result_column():
    treatment = make_treatment()
    make_story(treatment, procedure_status="no", result="", treated_year=None,
               treated_month=None)

    assert story_moderation_counts(treatment) == {("received", ""): 1, ("published", ""): 1}


def test_the_rebuild_command_rebuilds_the_tallies():
    treatment = make_treatment()
    _mixed_stories(treatment, 10, seed=2)
    expected = _rows()
    ModerationTally.objects.all().delete()

    call_command("rebuild_outcomes", stdout=io.StringIO())

    assert _rows() == expected
