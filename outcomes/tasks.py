"""Background work for the outcomes page. Tasks carry a treatment id only."""

from django.core.cache import cache
from django_tasks import task

from outcomes.cache import warm_up_queued_key
from treatments.models import Treatment


@task()
def warm_summary(treatment_id: int) -> None:
    """Compute a treatment's numbers after a change and keep them, so that the next reader
    does not wait for them."""
    # First, so that a change committed while this computes queues a warm-up of its own.
    cache.delete(warm_up_queued_key(treatment_id))
    treatment = Treatment.objects.filter(pk=treatment_id).first()
    if treatment is None:
        return
    # Here rather than at the top: importing this module (as the cache module does to queue
    # the task) must not load SciPy and Matplotlib.
    from outcomes.numbers import outcomes_numbers_refresh

    outcomes_numbers_refresh(treatment)
