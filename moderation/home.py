"""The moderation home: the admin index opens with what waits (templates/admin/index.html)."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

from moderation.selectors import moderation_queues


def with_waiting_queues(index: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap `AdminSite.index` so its template gets `moderation_queues`. Only the index counts
    the queues; every other admin page is left as it was."""
    if getattr(index, "counts_waiting_queues", False):
        return index  # the URLconf was imported again: count once, not twice

    @wraps(index)
    def index_with_queues(request: HttpRequest, extra_context: dict | None = None):
        return index(
            request,
            extra_context={
                "moderation_queues": moderation_queues(request.user),
                **(extra_context or {}),
            },
        )

    index_with_queues.counts_waiting_queues = True
    return index_with_queues
