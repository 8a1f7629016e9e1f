"""How fast a release of the figures is made, and the outcomes page and its downloads read, at
100,000 stories / 300,000 follow-ups.

    uv run python bench/outcomes_bench.py [--stories N] [--followups N] [--repeat K]

A release (outcomes.releases) computes every published number at once, the small-count
audit included, with each person's digest; pages and downloads read the stored release, so
cold (Django's cache emptied first) and warm should be alike. The baseline, measured in the
same run, is reading the counted stories and follow-ups alone (three queries, no counting):
the floor under any computation from the raw rows.
Requests go through Django's test client in this process: no network, no other host.
"""

import argparse
import platform
import statistics
import time

from _setup import database_label, django_setup
from dataset import ensure_dataset


def timed(action, repeat: int, before=None) -> float:
    """Median seconds of `repeat` runs of action(), calling before() untimed ahead of each."""
    runs = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def baseline_summary(treatment) -> None:
    """Only reading the rows the summary is computed from."""
    from followups.models import Baseline
    from outcomes.cohort import counted_stories, followup_rows, story_rows

    stories = counted_stories(treatment)
    story_rows(stories)
    followup_rows(stories)
    list(Baseline.objects.filter(story__in=stories).values_list("story_id", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--followups", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fhir-people", type=int, default=2000,
                        help="FHIR is timed on this many people (0: everyone) and projected.")
    args = parser.parse_args()
    django_setup()
    built = ensure_dataset(args.stories, args.followups)

    from django.core.cache import cache
    from django.test import Client

    from outcomes import downloads, releases
    from outcomes.cohort import build_cohort
    from outcomes.models import OutcomesRelease
    from outcomes.selectors import outcomes_summary
    from treatments.models import Treatment

    treatment = Treatment.objects.get(slug="ccsvi-venoplasty")
    client = Client(SERVER_NAME="127.0.0.1")
    page = f"/outcomes/{treatment.slug}/"

    def get(url: str):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return fetch

    print(f"Machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.system()} {platform.release()}; "
          f"database: {database_label()}")
    print(f"Data set: {built['stories']:,} stories, {built['followups']:,} follow-ups, "
          f"{len(build_cohort(treatment)):,} people counted")
    repeat = args.repeat
    baseline = timed(lambda: baseline_summary(treatment), max(1, repeat // 2))
    summary = timed(lambda: outcomes_summary(treatment), repeat)
    print(f"{'what':<44}{'seconds':>10}{'× baseline':>12}")
    print(f"{'baseline: read the counted rows only':<44}{baseline:>10.3f}{1:>12.2f}")
    print(f"{'summary from the raw rows':<44}{summary:>10.3f}{summary / baseline:>12.2f}")
    digests = timed(releases.page_digests, repeat)
    print(f"{'page digests (who changed)':<44}{digests:>10.3f}{digests / baseline:>12.2f}")
    release = timed(releases.release_outcomes, repeat,
                    before=lambda: OutcomesRelease.objects.all().delete())
    print(f"{'a whole release, stored':<44}{release:>10.3f}{release / baseline:>12.2f}")
    rows = [("outcomes page", page)] + [
        (f"download {table}.{fmt}", f"{page}data/{table}.{fmt}")
        for table in downloads.TABLES for fmt in ("csv", "json")
    ] + [(f"chart {name}", f"{page}{name}.svg") for name in ("better-over-time",
                                                              "benefit-lasting")]
    for label, url in rows:
        cold = timed(get(url), repeat, before=cache.clear)
        get(url)()
        warm = timed(get(url), repeat)
        print(f"{label + ' (cold)':<44}{cold:>10.3f}{cold / baseline:>12.2f}")
        print(f"{label + ' (warm)':<44}{warm:>10.3f}{warm / baseline:>12.2f}")
    research_exports(treatment, repeat, args.fhir_people, baseline)


def research_exports(treatment, repeat: int, fhir_people: int, baseline: float) -> None:
    """Each research export as a researcher gets it (de-identified afresh every time, so cold
    and warm differ only by the database's own cache). FHIR validates every resource, which
    is slow: it is timed on a sample and projected to everyone."""
    from django.contrib.auth import get_user_model

    from research import formats
    from research.deidentify import deidentify
    from research.models import ExportLog
    from research.selectors import date_shift_days, research_episodes
    from research.services import research_export

    user, _ = get_user_model().objects.get_or_create(username="bench-researcher")
    for fmt in (ExportLog.Format.CSV, ExportLog.Format.JSON):
        def export(fmt=fmt):
            research_export(user=user, treatment=treatment, fmt=fmt)
        cold = timed(export, 1)
        warm = timed(export, max(1, repeat // 2))
        for label, seconds in (("cold", cold), ("warm", warm)):
            print(f"{f'research export {fmt} ({label})':<44}{seconds:>10.3f}"
                  f"{seconds / baseline:>12.2f}")
    episodes = research_episodes(treatment)
    sample = episodes if fhir_people <= 0 else episodes[:fhir_people]
    result = deidentify(sample, shift_days=date_shift_days)
    seconds = timed(lambda: formats.export_fhir(result), 1)
    everyone = deidentify(episodes, shift_days=date_shift_days)
    projected = seconds * len(everyone.rows) / max(1, len(result.rows))
    print(f"{f'research export FHIR ({len(result.rows):,} reports)':<44}{seconds:>10.3f}"
          f"{seconds / baseline:>12.2f}")
    print(f"{f'  projected to all {len(everyone.rows):,} reports':<44}{projected:>10.1f}"
          f"{projected / baseline:>12.2f}")


if __name__ == "__main__":
    main()
