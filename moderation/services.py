from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from moderation.models import Action, ModerationDecision


def decision_record(
    *,
    subject: models.Model,
    action: Action,
    moderator: AbstractBaseUser | None,
    reason: str = "",
    note: str = "",
    changed_fields: list[str] | None = None,
) -> ModerationDecision:
    """Write the audit row for one moderation decision."""
    decision = ModerationDecision(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        action=action,
        reason=reason,
        note=note,
        changed_fields=changed_fields or [],
        moderator=moderator,
    )
    decision.full_clean()
    decision.save()
    return decision


def decisions_for(subject: models.Model) -> models.QuerySet[ModerationDecision]:
    return ModerationDecision.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("moderator")
