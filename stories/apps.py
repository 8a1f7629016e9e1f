from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Stories")

    def ready(self) -> None:
        from discussion.targets import Commentable, register
        from stories import signals
        from stories.models import Story

        signals.connect()
        register(Commentable(
            kind="story",
            model=Story,
            visible=Story.objects.public,
            author_email=lambda story: story.email if story.email_confirmed_at else None,
        ))
