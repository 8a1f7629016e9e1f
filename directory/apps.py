from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Who does it and where")

    def ready(self) -> None:
        from directory.vocabulary import directory_known_terms
        from moderation.vocabulary import register_known_terms

        register_known_terms(directory_known_terms)
