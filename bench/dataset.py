"""Build the benchmark data set: 100,000 invented stories and 300,000 follow-ups (by default).

    uv run python bench/dataset.py [--stories N] [--followups N] [--fresh]

Reuses the data set already in var/bench/ when it has the asked-for size (building it takes
a minute or two). Invented content only (`load_demo`'s generator); nothing real.
"""

import argparse
import datetime
import random
import time

from _setup import django_setup

FOLLOW_UP_MONTHS = (3, 6, 12, 18, 24, 36, 48, 60)


def top_up_followups(target: int, seed: int = 7) -> int:
    """Add approved follow-ups to counted stories until there are `target` in all."""
    from django.db import transaction

    from followups.models import FollowUp
    from outcomes.cohort import counted_stories
    from stories.choices import Result, Symptom, SymptomChange

    missing = target - FollowUp.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(seed)
    stories = list(counted_stories().values_list("pk", "treated_year", "treated_month"))
    batch, added = [], 0
    while added < missing:
        story_id, year, month = rng.choice(stories)
        months = rng.choice(FOLLOW_UP_MONTHS)
        treated = datetime.date(year, month or 6, 1)
        batch.append(FollowUp(
            story_id=story_id, status=FollowUp.Status.APPROVED,
            reported_on=treated + datetime.timedelta(days=int(months * 30.44)),
            result=rng.choice(Result.values[:5]),
            symptoms={s: rng.choice([SymptomChange.BETTER, SymptomChange.SAME,
                                     SymptomChange.WORSE]) for s in rng.sample(Symptom.values, 3)},
            relapses_since_last=rng.choice([0, 0, 0, 1]),
            new_complications=[],
        ))
        added += 1
        if len(batch) == 5000 or added == missing:
            with transaction.atomic():
                FollowUp.objects.bulk_create(batch)
            batch = []
    return added


def ensure_dataset(stories: int, followups: int, fresh: bool = False) -> dict:
    from django.core.management import call_command

    from followups.models import FollowUp
    from outcomes.tallies import rebuild_moderation_tallies
    from stories.models import Story

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if fresh or Story.objects.count() < stories:
        if fresh:
            call_command("flush", verbosity=0, interactive=False)
        # Half published stories, half statistics-only reports (the research export holds only
        # the latter), so the data set stays the size asked for.
        missing = stories - Story.objects.count()
        call_command("load_demo", stories=(missing + 1) // 2, statistics_only=missing // 2,
                     verbosity=0)
    if top_up_followups(followups):
        rebuild_moderation_tallies()
    call_command("optimize_database", verbosity=0)
    return {
        "stories": Story.objects.count(),
        "followups": FollowUp.objects.count(),
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--followups", type=int, default=300_000)
    parser.add_argument("--fresh", action="store_true", help="Throw the old data set away.")
    args = parser.parse_args()
    django_setup()
    built = ensure_dataset(args.stories, args.followups, args.fresh)
    print(f"Data set: {built['stories']:,} stories, {built['followups']:,} follow-ups "
          f"(ready in {built['seconds']:.1f} s)")


if __name__ == "__main__":
    main()
