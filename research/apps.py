from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = _("Research exports")

    def ready(self) -> None:
        from research import receivers  # noqa: F401  (connects the signal receivers)
