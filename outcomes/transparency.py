"""Moderation in the open: how many stories and follow-ups were received, published, rejected
(and why) and are waiting, split by the result their authors reported, so anyone can see that
disappointing stories are not held back."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext as _

from followups.models import FollowUp
from moderation.models import Action, ModerationDecision, RejectReason
from outcomes.statistics import suppress_row
from stories.choices import Result
from stories.models import Story

RESULT_COLUMNS = [*Result.values, ""]  # "" = no result given (did not have the procedure)


def story_moderation_counts(treatment) -> dict[tuple[str, str], int]:
    """Counts keyed by (outcome, result): outcome is received, published, waiting, or
    'rejected:<reason>'. Stories not yet confirmed by their authors are not counted as
    received: they never reached a moderator."""
    stories = Story.objects.filter(treatment=treatment).exclude(status=Story.Status.UNCONFIRMED)
    counts: Counter = Counter()
    for status, result, n in stories.values_list("status", "result").annotate(n=Count("id")):
        counts[("received", result)] += n
        if status == Story.Status.APPROVED:
            counts[("published", result)] += n
        elif status == Story.Status.PENDING:
            counts[("waiting", result)] += n
    latest_reason = ModerationDecision.objects.filter(
        content_type__model="story", object_id=OuterRef("pk"), action=Action.REJECT
    ).order_by("-created_at").values("reason")[:1]
    rejected = stories.filter(status=Story.Status.REJECTED).annotate(
        reason=Subquery(latest_reason)
    ).values_list("reason", "result").annotate(n=Count("id"))
    for reason, result, n in rejected:
        counts[(f"rejected:{reason or 'other'}", result)] += n
    return dict(counts)


def followup_moderation_counts(treatment) -> dict[tuple[str, str], int]:
    followups = FollowUp.objects.filter(story__treatment=treatment)
    counts: Counter = Counter()
    for status, result, n in followups.values_list("status", "result").annotate(n=Count("id")):
        counts[("received", result)] += n
        outcome = {"approved": "published", "pending": "waiting", "rejected": "rejected"}[status]
        counts[(outcome, result)] += n
    return dict(counts)


@dataclass(frozen=True)
class ModerationPanel:
    """Rows are outcomes (received, published, waiting, rejected for each reason), columns the
    result the author reported; hidden counts are None."""

    columns: list[tuple[str, str]]
    rows: list[tuple[str, dict[str, int | None], int | None]]


def moderation_panel(counts: dict[tuple[str, str], int], threshold: int) -> ModerationPanel:
    """One suppressed line per outcome: outcomes overlap (a published story was also received),
    so sums across them are not shown and each line is protected on its own."""
    labels = dict(Result.choices)
    columns = [(code, str(labels.get(code, _("No result given")))) for code in RESULT_COLUMNS]
    outcomes = ["received", "published", "waiting"] + sorted(
        {outcome for outcome, _result in counts if outcome.startswith("rejected:")}
    )
    rows = []
    for outcome in outcomes:
        line = suppress_row({code: counts.get((outcome, code), 0) for code, _l in columns},
                            threshold)
        rows.append((_outcome_label(outcome), dict(line.cells), line.total))
    return ModerationPanel(columns, rows)


def _outcome_label(outcome: str) -> str:
    if outcome.startswith("rejected:"):
        reason = outcome.split(":", 1)[1]
        return _("Rejected: %(reason)s") % {
            "reason": dict(RejectReason.choices).get(reason, reason)
        }
    return {"received": _("Received"), "published": _("Published"),
            "waiting": _("Waiting for a moderator")}[outcome]
