"""What the story pages show changes: start a new generation of kept pages (see
hindsight.lib.page_cache) once the change commits."""

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from hindsight.lib.page_cache import pages_changed
from hindsight.lib.signals import connect_with_proxies


def _shown_on_story_pages() -> tuple[type, ...]:
    from discussion.models import ClosedDiscussion, Comment, Commenter
    from followups.models import Baseline, FollowUp
    from stories.models import Story
    from treatments.models import Treatment

    # Commenter: banning one hides all their comments with a bulk update, which sends no
    # signal of its own; the commenter's save in the same transaction does.
    return (Story, FollowUp, Baseline, Comment, Commenter, ClosedDiscussion, Treatment)


def _on_change(sender, instance, **kwargs) -> None:
    transaction.on_commit(pages_changed, using=kwargs.get("using"))


def _on_migrate(sender, **kwargs) -> None:
    pages_changed()


def connect() -> None:
    watched = _shown_on_story_pages()
    connect_with_proxies(post_save, _on_change, watched, dispatch_uid="stories.page_cache.save")
    connect_with_proxies(post_delete, _on_change, watched,
                         dispatch_uid="stories.page_cache.delete")
    post_migrate.connect(_on_migrate, dispatch_uid="stories.page_cache.migrate")
