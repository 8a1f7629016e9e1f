"""Keeping `ModerationTally` rows true: each story's rows are rebuilt from the story and its
follow-ups whenever either is saved or deleted (see signals.py), so the moderation panels sum
narrow rows instead of joining every follow-up to its story. `rebuild_moderation_tallies`
redoes them all (after bulk loads)."""

from itertools import islice

from django.db import transaction
from django.db.models import Count

from followups.models import FollowUp
from outcomes.models import ModerationTally
from stories.models import Story


def _row(story_id, treatment_id, kind, status, result, reports, public=False) -> ModerationTally:
    return ModerationTally(story_id=story_id, treatment_id=treatment_id, kind=kind,
                           status=status, result=result, reports=reports, public=public)


def _public(status: str, consent_publish: bool) -> bool:
    return status == Story.Status.APPROVED and consent_publish


def refresh_moderation_tally(story_id: int) -> None:
    """Rebuild one story's rows (or remove them if the story has gone)."""
    with transaction.atomic():
        ModerationTally.objects.filter(story_id=story_id).delete()
        story = Story.objects.filter(pk=story_id).values_list(
            "treatment_id", "status", "result", "consent_publish"
        ).first()
        if story is None:
            return
        treatment_id, status, result, consent_publish = story
        public = _public(status, consent_publish)
        followups = FollowUp.objects.filter(story_id=story_id).values_list(
            "status", "result"
        ).annotate(n=Count("pk")).order_by()
        ModerationTally.objects.bulk_create([
            _row(story_id, treatment_id, ModerationTally.Kind.STORY, status, result, 1, public),
            *(_row(story_id, treatment_id, ModerationTally.Kind.FOLLOWUP, f_status, f_result, n,
                   public and f_status == FollowUp.Status.APPROVED)
              for f_status, f_result, n in followups),
        ])


def _all_rows():
    stories = Story.objects.values_list("pk", "treatment_id", "status", "result",
                                        "consent_publish").order_by()
    for story_id, treatment_id, status, result, consent in stories.iterator(chunk_size=5000):
        yield _row(story_id, treatment_id, ModerationTally.Kind.STORY, status, result, 1,
                   _public(status, consent))
    followups = FollowUp.objects.values_list(
        "story_id", "story__treatment_id", "status", "result", "story__status",
        "story__consent_publish",
    ).annotate(n=Count("pk")).order_by()
    for (story_id, treatment_id, status, result, story_status, consent,
         n) in followups.iterator(chunk_size=5000):
        yield _row(story_id, treatment_id, ModerationTally.Kind.FOLLOWUP, status, result, n,
                   _public(story_status, consent) and status == FollowUp.Status.APPROVED)


def rebuild_moderation_tallies(batch_size: int = 5000) -> int:
    """Rebuild every story's rows from the stories and follow-ups; returns how many stories
    there are."""
    rows = _all_rows()
    with transaction.atomic():
        ModerationTally.objects.all().delete()
        # In batches: bulk_create would otherwise hold every row (one per story and more) at once.
        while batch := list(islice(rows, batch_size)):
            ModerationTally.objects.bulk_create(batch)
    return Story.objects.count()
