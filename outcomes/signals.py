"""`CountedPerson` rows follow their stories. This is the one place signals are used for data:
the rows are derived, and every way a story or follow-up changes (services, the admin, test
factories) must rebuild them, so they are kept here rather than in each caller."""

from django.db import transaction


def story_saved(sender, instance, raw=False, **kwargs) -> None:
    from stories.models import Story

    if isinstance(instance, Story) and not raw:
        from outcomes.people import refresh_counted_person

        refresh_counted_person(instance.pk)


def followup_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        from outcomes.people import refresh_counted_person

        refresh_counted_person(instance.story_id)


def followup_deleted(sender, instance, **kwargs) -> None:
    # After commit: when the story itself is being deleted (erasure), its row goes with it
    # and rebuilding it mid-deletion would point at a story that is about to vanish.
    from outcomes.people import refresh_counted_person

    story_id = instance.story_id
    transaction.on_commit(lambda: refresh_counted_person(story_id))
