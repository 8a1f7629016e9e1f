"""The figures of one treatment's outcomes page, computed for a release (releases.py): the
summary and the moderation panels."""

from dataclasses import dataclass

from outcomes.selectors import OutcomesSummary, outcomes_summary
from outcomes.transparency import (
    FOLLOWUP_OUTCOMES,
    STORY_OUTCOMES,
    ModerationPanel,
    followup_moderation_tables,
    moderation_panel,
    story_moderation_tables,
)


@dataclass(frozen=True)
class TreatmentFigures:
    summary: OutcomesSummary
    panels: dict[str, ModerationPanel]


def _panel(tables, outcomes: list[str], threshold: int) -> ModerationPanel:
    counts, protected = tables
    return moderation_panel(counts, outcomes, threshold, protected)


def treatment_figures(treatment) -> TreatmentFigures:
    summary = outcomes_summary(treatment)
    return TreatmentFigures(summary, {
        "stories": _panel(story_moderation_tables(treatment), STORY_OUTCOMES, summary.threshold),
        "followups": _panel(followup_moderation_tables(treatment), FOLLOWUP_OUTCOMES,
                            summary.threshold),
    })
