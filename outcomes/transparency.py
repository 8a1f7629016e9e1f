"""Moderation in the open: how many stories and follow-ups were received, published, rejected
(and why) and are waiting, split by the result their authors reported, so anyone can see that
disappointing stories are not held back."""

from collections import Counter

from django.db.models import Count, OuterRef, Subquery

from followups.models import FollowUp
from moderation.models import Action, ModerationDecision
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
