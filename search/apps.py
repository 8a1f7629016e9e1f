from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from hindsight.lib.signals import connect_with_proxies
        from search import signals

        connect_with_proxies(post_save, signals.content_saved, signals.indexed_models(),
                             dispatch_uid="search.saved")
        connect_with_proxies(post_delete, signals.content_deleted, signals.indexed_models(),
                             dispatch_uid="search.deleted")
