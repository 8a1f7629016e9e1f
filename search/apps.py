from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from search import signals

        # Each indexed model and its proxies, by name: a receiver for every sender would make
        # Django give up fast deletes on all models.
        for model in apps.get_models():
            if model._meta.concrete_model in signals.indexed_models():
                uid = f"search-{model._meta.label_lower}"
                post_save.connect(signals.content_saved, sender=model, dispatch_uid=uid)
                post_delete.connect(signals.content_deleted, sender=model, dispatch_uid=uid)
