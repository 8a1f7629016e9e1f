"""The outcomes page's cached numbers: forgotten when they change, then computed again by the
background worker, one warm-up per treatment at a time."""

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hindsight.testing import make_treatment
from outcomes.cache import (
    forget_summary,
    panels_cache_key,
    summary_cache_key,
    warm_up_queued_key,
)
from outcomes.tasks import warm_summary
from outcomes.tests.helpers import counted_person

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_warm_up_fills_the_cache_with_the_summary_and_the_panels():
    treatment = make_treatment()
    for _ in range(12):
        counted_person(treatment, better_at_3=True)

    warm_summary.call(treatment.pk)

    assert cache.get(summary_cache_key(treatment.pk)).people == 12
    panels = cache.get(panels_cache_key(treatment.pk))
    assert set(panels) == {"stories", "followups"}
    assert ("Received", {"": 0, "little_better": 12, "much_better": 0, "no_change": 0,
                         "little_worse": 0, "much_worse": 0, "too_early": 0}, 12) in [
        (label, dict(cells), total) for label, cells, total in panels["stories"].rows
    ]


def test_the_page_serves_the_warmed_numbers_without_computing_them(client,
                                                                   django_assert_num_queries):
    treatment = make_treatment()
    for _ in range(12):
        counted_person(treatment, better_at_3=True)
    warm_summary.call(treatment.pk)

    with django_assert_num_queries(1):  # the treatment itself
        html = client.get(f"/outcomes/{treatment.slug}/").content.decode()

    assert "12 people" in html


def test_forget_summary_queues_one_warm_up_per_treatment(settings):
    settings.TASKS = DATABASE_TASKS
    treatment, other = make_treatment(), make_treatment(slug="other", name="Other")
    cache.set(summary_cache_key(treatment.pk), "stale")
    cache.set(panels_cache_key(treatment.pk), "stale")

    forget_summary(treatment.pk)
    forget_summary(treatment.pk)
    forget_summary(other.pk)

    assert cache.get(summary_cache_key(treatment.pk)) is None
    assert cache.get(panels_cache_key(treatment.pk)) is None
    queued = DBTaskResult.objects.all()
    assert sorted(task.args_kwargs["args"][0] for task in queued) == sorted(
        [treatment.pk, other.pk]
    )
    assert {task.task_path for task in queued} == {"outcomes.tasks.warm_summary"}


def test_a_change_after_the_warm_up_has_started_queues_another(settings):
    settings.TASKS = DATABASE_TASKS
    treatment = make_treatment()
    forget_summary(treatment.pk)

    warm_summary.call(treatment.pk)
    assert cache.get(warm_up_queued_key(treatment.pk)) is None
    forget_summary(treatment.pk)

    assert DBTaskResult.objects.count() == 2


def test_the_warm_up_does_nothing_for_a_treatment_that_has_gone():
    warm_summary.call(987654)

    assert cache.get(summary_cache_key(987654)) is None


# The worker closes its database connection when it finishes, as a real worker process would;
# that needs a test without a wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_warms_the_numbers_after_an_approval(settings):
    from hindsight.testing import make_moderator
    from stories import services

    settings.TASKS = DATABASE_TASKS
    treatment = make_treatment()
    for _ in range(10):
        counted_person(treatment, better_at_3=True)
    waiting = counted_person(treatment, better_at_3=True, status="pending",
                             email_confirmed_at=timezone.now())
    DBTaskResult.objects.all().delete()

    services.story_approve(story=waiting, moderator=make_moderator())
    assert cache.get(summary_cache_key(treatment.pk)) is None
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert cache.get(summary_cache_key(treatment.pk)).people == 11
    warm_ups = DBTaskResult.objects.filter(task_path="outcomes.tasks.warm_summary")
    assert [task.status for task in warm_ups] == ["SUCCESSFUL"]


def test_services_can_be_imported_without_scipy_or_matplotlib(settings):
    """Every web and worker process imports the services; SciPy and Matplotlib take seconds to
    load and only the outcomes pages and the warm-up need them."""
    code = (
        "import django, sys; django.setup(); import stories.services, accounts.services, "
        "followups.services, outcomes.cache; "
        "print(sorted(m for m in ('scipy', 'matplotlib') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=settings.BASE_DIR, check=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "hindsight.settings"})

    assert run.stdout.strip() == "[]"
