"""Who is counted, read from the database: the rows that definitions.py turns into people.

Counted: stories a moderator approved, whose authors consented to statistics and had the
procedure in a known year, with their approved follow-ups and whether they recorded a baseline.
Nothing else is read, so a person who withdraws consent or is erased is gone from the next
computation.
"""

import datetime

from allauth.account.models import EmailAddress
from django.utils import timezone

from followups.models import Baseline, FollowUp
from outcomes.definitions import Person, normal_address, people_from_rows
from stories.choices import ProcedureStatus
from stories.models import Story

STORY_COLUMNS = (
    "id", "author_id", "email", "treated_year", "treated_month", "submitted_at", "result",
    "symptoms", "ms_type", "procedure_kind", "country", "complications", "treated_again",
    "consent_publish",
)
FOLLOWUP_COLUMNS = (
    "story_id", "reported_on", "result", "symptoms", "relapses_since_last", "new_complications",
    "restenosis", "repeat_procedure",
)


def counted_stories(treatment=None):
    stories = Story.objects.all() if treatment is None else Story.objects.filter(
        treatment=treatment
    )
    return stories.filter(
        status=Story.Status.APPROVED,
        consent_statistics=True,
        procedure_status=ProcedureStatus.HAD,
        treated_year__isnull=False,
    )


def story_rows(stories) -> list[dict]:
    rows = []
    for values in stories.values_list(*STORY_COLUMNS).iterator(chunk_size=5000):
        row = dict(zip(STORY_COLUMNS, values, strict=True))
        row["submitted_on"] = row.pop("submitted_at").date()
        rows.append(row)
    return rows


def followup_rows(stories) -> list[dict]:
    followups = FollowUp.objects.filter(story__in=stories, status=FollowUp.Status.APPROVED)
    return [dict(zip(FOLLOWUP_COLUMNS, values, strict=True))
            for values in followups.values_list(*FOLLOWUP_COLUMNS).iterator(chunk_size=5000)]


def confirmed_accounts(addresses) -> dict[str, int]:
    """The account that confirmed each of these addresses (normalised), where one did."""
    wanted = {normal_address(address) for address in addresses} - {""}
    confirmed = EmailAddress.objects.filter(verified=True).values_list("email", "user_id")
    return {normal_address(email): user_id for email, user_id in confirmed.iterator()
            if normal_address(email) in wanted}


def build_cohort(treatment, today: datetime.date | None = None) -> list[Person]:
    """Everyone counted for this treatment, one entry per person. Four queries."""
    stories = counted_stories(treatment)
    with_baseline = set(Baseline.objects.filter(story__in=stories)
                        .values_list("story_id", flat=True))
    rows = story_rows(stories)
    return people_from_rows(rows, followup_rows(stories), with_baseline,
                            confirmed_accounts(row["email"] for row in rows),
                            today or timezone.localdate())
