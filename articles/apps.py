from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self) -> None:
        from articles.models import Article
        from discussion.targets import Commentable, register

        register(Commentable(
            kind="article",
            model=Article,
            visible=Article.objects.published,
            author_email=lambda article: None,  # moderators write articles; none to notify
        ))
