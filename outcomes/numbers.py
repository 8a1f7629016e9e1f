"""The numbers the outcomes page shows: read from the cache when they are there, otherwise
computed and kept there (by the first reader, or by the warm-up task after a change)."""

from django.core.cache import cache

from outcomes.cache import CACHE_SECONDS, panels_cache_key, summary_cache_key
from outcomes.selectors import OutcomesSummary, outcomes_summary
from outcomes.transparency import (
    FOLLOWUP_OUTCOMES,
    STORY_OUTCOMES,
    ModerationPanel,
    followup_moderation_tables,
    moderation_panel,
    story_moderation_tables,
)


def _panel(tables, outcomes: list[str], threshold: int) -> ModerationPanel:
    counts, protected = tables
    return moderation_panel(counts, outcomes, threshold, protected)


def _moderation_panels(treatment, threshold: int) -> dict[str, ModerationPanel]:
    return {
        "stories": _panel(story_moderation_tables(treatment), STORY_OUTCOMES, threshold),
        "followups": _panel(followup_moderation_tables(treatment), FOLLOWUP_OUTCOMES,
                            threshold),
    }


def outcomes_summary_cached(treatment) -> OutcomesSummary:
    """Computed once and kept for a few minutes; approvals and consent changes clear it."""
    key = summary_cache_key(treatment.pk)
    summary = cache.get(key)
    if summary is None:
        summary = outcomes_summary(treatment)
        cache.set(key, summary, CACHE_SECONDS)
    return summary


def moderation_panels_cached(treatment, threshold: int) -> dict[str, ModerationPanel]:
    key = panels_cache_key(treatment.pk)
    panels = cache.get(key)
    if panels is None:
        panels = _moderation_panels(treatment, threshold)
        cache.set(key, panels, CACHE_SECONDS)
    return panels


def outcomes_numbers_refresh(treatment) -> None:
    """Compute the summary and the moderation panels afresh and keep them."""
    summary = outcomes_summary(treatment)
    panels = _moderation_panels(treatment, summary.threshold)
    cache.set_many({summary_cache_key(treatment.pk): summary,
                    panels_cache_key(treatment.pk): panels}, CACHE_SECONDS)
