"""`ModerationTally` rows follow their stories. This is the one place signals
are used for data: the rows are derived, and every way a story or follow-up changes (services,
the admin, test factories) must rebuild them, so they are kept here rather than in each caller."""

from django.db import transaction


def _refresh(story_id: int) -> None:
    from outcomes.tallies import refresh_moderation_tally
    from stories.models import Story

    with transaction.atomic():
        # One refresh of a story's rows at a time: two moderators approving two follow-ups of
        # one story at once would otherwise each delete and re-insert its rows, and on
        # PostgreSQL the second would insert beside the first's (counted twice) or collide.
        list(Story.objects.select_for_update().filter(pk=story_id).values_list("pk"))
        refresh_moderation_tally(story_id)


def story_saved(sender, instance, raw=False, **kwargs) -> None:
    from stories.models import Story

    if isinstance(instance, Story) and not raw:
        _refresh(instance.pk)


def followup_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _refresh(instance.story_id)


def followup_deleted(sender, instance, **kwargs) -> None:
    # After commit: when the story itself is being deleted (erasure), its rows go with it
    # and rebuilding them mid-deletion would point at a story that is about to vanish.
    story_id = instance.story_id
    transaction.on_commit(lambda: _refresh(story_id))
