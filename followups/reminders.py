"""Who is due a "how are you now?" email, and the signed links inside it."""

import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from followups.models import ReminderSent, reminder_milestone_due
from stories.choices import ProcedureStatus
from stories.models import Story

FOLLOW_UP_SALT = "followups.reminder-follow-up"
STOP_SALT = "followups.reminder-stop"
FOLLOW_UP_LINK_MAX_AGE = 120 * 24 * 3600
STOP_LINK_MAX_AGE = 3 * 365 * 24 * 3600


def months_since(year: int, month: int | None, today: datetime.date) -> int:
    return (today.year - year) * 12 + today.month - (month or 1)


def stories_asking_for_reminders() -> QuerySet[Story]:
    """Stories whose confirmed authors asked to be reminded and had the procedure."""
    return Story.objects.filter(
        reminders_enabled=True,
        email_confirmed_at__isnull=False,
        procedure_status=ProcedureStatus.HAD,
        treated_year__isnull=False,
        status__in=[Story.Status.PENDING, Story.Status.APPROVED],
    )


def reminders_due(today: datetime.date) -> list[tuple[Story, int]]:
    """(story, milestone) for each story whose latest milestone has no reminder yet. Missed
    earlier milestones are not sent late: one email asks about now."""
    due = []
    sent = {}
    for story_id, milestone in ReminderSent.objects.values_list("story_id", "milestone_months"):
        sent[story_id] = max(milestone, sent.get(story_id, 0))
    for story in stories_asking_for_reminders().only(
        "id", "treated_year", "treated_month", "email", "display_name", "title"
    ):
        milestone = reminder_milestone_due(
            months_since(story.treated_year, story.treated_month, today)
        )
        if milestone is not None and sent.get(story.pk, 0) < milestone:
            due.append((story, milestone))
    return due


def claim_reminder(story: Story, milestone: int) -> bool:
    """Record the reminder as sent; False if another run already did (so it is not sent)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(story=story, milestone_months=milestone)
    except IntegrityError:
        return False
    return True


def follow_up_token(story: Story) -> str:
    return signing.dumps({"story": story.pk}, salt=FOLLOW_UP_SALT)


def stop_token(story: Story) -> str:
    return signing.dumps({"story": story.pk}, salt=STOP_SALT)


def story_from_token(token: str, *, salt: str, max_age: int) -> Story | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return Story.objects.filter(pk=data.get("story")).select_related("treatment").first()
