"""Moderation in the open: how many stories and follow-ups were received, published, rejected
(and why) and are waiting, split by the result their authors reported, so anyone can see that
disappointing stories are not held back. Counted from `ModerationTally` rows (see tallies.py),
which hold each story's status and result and its follow-ups' counts."""

from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery, Sum
from django.utils.translation import gettext as _

from moderation.models import Action, ModerationDecision, RejectReason
from outcomes.models import ModerationTally
from outcomes.statistics import publish_table
from stories.choices import Result
from stories.models import Story

RESULT_COLUMNS = [*Result.values, ""]  # "" = no result given (did not have the procedure)


Counts = dict[tuple[str, str], int]


def latest_rejection_reason(story_id_field: str) -> Subquery:
    """The reason of the latest rejection of the story whose id is in `story_id_field`."""
    # The content type as a value, not a join: SQLite then finds each story's decisions by the
    # (content type, object id) index instead of scanning every decision for each story.
    return Subquery(ModerationDecision.objects.filter(
        content_type=ContentType.objects.get_for_model(Story),
        object_id=OuterRef(story_id_field), action=Action.REJECT,
    ).order_by("-created_at").values("reason")[:1])


def story_moderation_counts(treatment) -> Counts:
    return story_moderation_tables(treatment)[0]


def story_moderation_tables(treatment) -> tuple[Counts, Counts]:
    """Counts keyed by (outcome, result): outcome is received, published, waiting, withdrawn
    or 'rejected:<reason>'; all of them, and their protected parts (stories not shown to anyone
    already), from one reading. Stories not yet confirmed by their authors are not counted as
    received: they never reached a moderator."""
    stories = ModerationTally.objects.filter(
        treatment=treatment, kind=ModerationTally.Kind.STORY
    ).exclude(status=Story.Status.UNCONFIRMED)
    counts, protected = Counter(), Counter()
    outcome_of = {Story.Status.APPROVED: "published", Story.Status.PENDING: "waiting",
                  Story.Status.WITHDRAWN: "withdrawn"}
    for status, result, public, n in _summed(stories):
        for outcome in ("received", outcome_of.get(status)):
            if outcome:
                _add(counts, protected, (outcome, result), n, public)
    rejected = stories.filter(status=Story.Status.REJECTED).annotate(
        reason=latest_rejection_reason("story_id")
    ).values_list("reason", "result", "public").annotate(n=Sum("reports")).order_by()
    for reason, result, public, n in rejected:
        reason = reason if reason in RejectReason.values else RejectReason.OTHER
        _add(counts, protected, (f"rejected:{reason}", result), n, public)
    return dict(counts), dict(protected)


# The rows of each panel, fixed: a row that appeared only when someone was in it would say so.
STORY_OUTCOMES = ["published", "waiting", "withdrawn",
                  *(f"rejected:{reason}" for reason in RejectReason.values)]
FOLLOWUP_OUTCOMES = ["published", "waiting", "rejected"]


def followup_moderation_counts(treatment) -> Counts:
    return followup_moderation_tables(treatment)[0]


def followup_moderation_tables(treatment) -> tuple[Counts, Counts]:
    """Follow-ups' counts by (outcome, result), all and protected only, from one reading."""
    followups = ModerationTally.objects.filter(
        treatment=treatment, kind=ModerationTally.Kind.FOLLOWUP
    )
    counts, protected = Counter(), Counter()
    outcome_of = {"approved": "published", "pending": "waiting", "rejected": "rejected"}
    for status, result, public, n in _summed(followups):
        for outcome in ("received", outcome_of[status]):
            _add(counts, protected, (outcome, result), n, public)
    return dict(counts), dict(protected)


def _add(counts: Counter, protected: Counter, key: tuple[str, str], n: int,
         public: bool) -> None:
    counts[key] += n
    if not public:
        protected[key] += n


def _summed(tallies):
    """(status, result, public, reports) for each status, result and whether public, read
    from the panel index."""
    return tallies.values_list("status", "result", "public").annotate(
        n=Sum("reports")).order_by()


@dataclass(frozen=True)
class ModerationPanel:
    """Rows are outcomes (received, then published, waiting and rejected for each reason),
    columns the result the author reported; hidden counts are None."""

    columns: list[tuple[str, str]]
    rows: list[tuple[str, dict[str, int | None], int | None]]


def moderation_panel(counts: dict[tuple[str, str], int], outcomes: list[str],
                     threshold: int, protected: dict[tuple[str, str], int] | None = None
                     ) -> ModerationPanel:
    """One two-way table: every report received was published, is waiting or was rejected, so
    the outcome rows add up to the received row (column by column, and in the "All" column),
    and the table is protected as a whole (received minus published must not give away a
    hidden "waiting" count)."""
    labels = dict(Result.choices)
    columns = [(code, str(labels.get(code, _("No result given")))) for code in RESULT_COLUMNS]
    keys = [(outcome, code) for outcome in outcomes for code, _label in columns]
    # Published stories and follow-ups are public: only the rest needs protecting.
    protected = counts if protected is None else protected
    table = publish_table({key: counts.get(key, 0) for key in keys},
                          {key: protected.get(key, 0) for key in keys},
                          row_of=lambda key: key[0], col_of=lambda key: key[1],
                          threshold=threshold)
    rows = [(_outcome_label("received"), dict(table.column_totals), table.total)]
    for outcome in outcomes:
        rows.append((_outcome_label(outcome),
                     {code: table.cells[(outcome, code)] for code, _label in columns},
                     table.row_totals[outcome]))
    return ModerationPanel(columns, rows)


def _outcome_label(outcome: str) -> str:
    if outcome == "rejected":
        return _("Rejected")
    if outcome.startswith("rejected:"):
        reason = outcome.split(":", 1)[1]
        return _("Rejected: %(reason)s") % {
            "reason": dict(RejectReason.choices).get(reason, reason)
        }
    return {"received": _("Received"), "published": _("Published"),
            "waiting": _("Waiting for a moderator"),
            "withdrawn": _("Withdrawn by the author")}[outcome]
