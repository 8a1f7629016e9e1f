from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentsConfig(AppConfig):
    name = "treatments"
    verbose_name = _("Treatments")

    def ready(self) -> None:
        from moderation.vocabulary import register_known_terms
        from treatments.vocabulary import treatment_known_terms

        register_known_terms(treatment_known_terms)
