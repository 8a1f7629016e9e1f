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
    transaction.on_commit(pages_changed, using=kwargs.get("using"))


def _on_migrate(sender, **kwargs) -> None:
    pages_changed()


def connect() -> None:
    from django.apps import apps

    watched = _shown_on_story_pages()
    # Each model by name, with its proxies (the moderation queue saves stories through one, and
    # signals name the proxy as sender). Never with no sender: a delete receiver for every
    # model would stop Django's fast bulk deletes everywhere (sessions, derived rows).
    for model in apps.get_models():
        if issubclass(model, watched):
            uid = f"stories.page_cache.{model._meta.label_lower}"
            post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}.save")
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}.delete")
    post_migrate.connect(_on_migrate, dispatch_uid="stories.page_cache.migrate")
