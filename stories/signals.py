"""What the story pages show changes: start a new generation of kept pages (see
hindsight.lib.page_cache) once the change commits."""

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from hindsight.lib.page_cache import pages_changed


def _shown_on_story_pages() -> tuple[type, ...]:
    from discussion.models import ClosedDiscussion, Comment, Commenter
    from followups.models import Baseline, FollowUp
    from stories.models import Story
    from treatments.models import Treatment

    # Commenter: banning one hides all their comments with a bulk update, which sends no
    # signal of its own; the commenter's save in the same transaction does.
    return (Story, FollowUp, Baseline, Comment, Commenter, ClosedDiscussion, Treatment)


def _on_change(sender, instance, **kwargs) -> None:
    # No `sender=` when connecting: saves through a proxy model (the moderation queue's)
    # are sent with the proxy as sender.
    if isinstance(instance, _shown_on_story_pages()):
        transaction.on_commit(pages_changed, using=kwargs.get("using"))


def _on_migrate(sender, **kwargs) -> None:
    # A deploy runs migrate: new templates must not be hidden behind pages kept before it.
    pages_changed()


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="stories.page_cache.save")
    post_delete.connect(_on_change, dispatch_uid="stories.page_cache.delete")
    post_migrate.connect(_on_migrate, dispatch_uid="stories.page_cache.migrate")
