"""Where the outcomes page keeps its numbers between requests, and forgetting them when they
change.

Kept light on purpose: services import this at every worker start, so nothing here may load
the statistics (SciPy) or the charts (Matplotlib) at import time.
"""

from django.core.cache import cache

from treatments.models import Treatment

CACHE_SECONDS = 300


def summary_cache_key(treatment_id: int) -> str:
    return f"outcomes:summary:{treatment_id}"


def panels_cache_key(treatment_id: int) -> str:
    return f"outcomes:moderation:{treatment_id}"


def warm_up_queued_key(treatment_id: int) -> str:
    return f"outcomes:warm-up-queued:{treatment_id}"


def forget_summary(treatment_id: int) -> None:
    """New numbers are due: an approval, a rejection, a withdrawal, an approved edit, a
    consent changed, an erasure. The background worker computes them again at once, so
    readers rarely wait for them."""
    cache.delete_many([summary_cache_key(treatment_id), panels_cache_key(treatment_id)])
    # One queued warm-up per treatment is enough: it reads whatever is committed when it runs,
    # and clears this key as it starts, so a change made while it computes queues another.
    # The timeout frees the key if a warm-up is lost (a rolled-back enqueue, a stopped worker).
    if cache.add(warm_up_queued_key(treatment_id), True, CACHE_SECONDS):
        from outcomes.tasks import warm_summary  # here: the task module reads the keys above

        warm_summary.enqueue(treatment_id)


def forget_all_summaries() -> None:
    for treatment_id in Treatment.objects.values_list("pk", flat=True):
        forget_summary(treatment_id)
