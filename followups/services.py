from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from followups.models import FollowUp
from moderation.models import Action, RejectReason
from moderation.services import decision_record


@transaction.atomic
def followup_submit(*, followup: FollowUp) -> FollowUp:
    """Save an author's follow-up; it waits for a moderator like a story does."""
    followup.status = FollowUp.Status.PENDING
    followup.full_clean()
    followup.save()
    return followup


@transaction.atomic
def followup_approve(
    *, followup: FollowUp, moderator: AbstractBaseUser, changed_fields: list[str] | None = None
) -> FollowUp:
    """Publish a follow-up; `changed_fields` names what the moderator edited with it."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.status == FollowUp.Status.APPROVED:
        raise ValidationError("This follow-up is already approved.")
    followup.status = FollowUp.Status.APPROVED
    followup.published_at = followup.published_at or timezone.now()
    followup.save(update_fields=["status", "published_at"])
    decision_record(subject=followup, action=Action.APPROVE, moderator=moderator,
                    changed_fields=changed_fields)
    return followup


@transaction.atomic
def followup_reject(
    *, followup: FollowUp, moderator: AbstractBaseUser, reason: RejectReason | str, note: str = ""
) -> FollowUp:
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if reason == RejectReason.OTHER and not note.strip():
        raise ValidationError("Say why in the note when the reason is 'another reason'.")
    followup.status = FollowUp.Status.REJECTED
    followup.save(update_fields=["status"])
    decision_record(
        subject=followup, action=Action.REJECT, moderator=moderator, reason=reason, note=note
    )
    return followup
