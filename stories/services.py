"""What happens to a story: submitted, confirmed, approved or rejected, edited."""

from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.services import author_for_email
from moderation.models import Action, RejectReason
from moderation.services import decision_record
from stories.models import (
    CONSENT_TEXTS,
    CONSENT_VERSION,
    EDITABLE_FIELDS,
    Story,
    StoryConsent,
    StoryRevision,
)
from stories.reports import story_reports_resolve
from stories.tasks import CONFIRM_SALT, email_check, send_story_email


@transaction.atomic
def story_submit(*, story: Story) -> Story:
    """Save a new story from the public form, record its consents, and ask the author to
    confirm their email. The email task row is written in the same transaction, so either
    both exist or neither does."""
    story.status = Story.Status.UNCONFIRMED
    story.full_clean()
    story.save()
    StoryConsent.objects.bulk_create(
        [
            StoryConsent(
                story=story,
                purpose=purpose,
                granted=granted,
                version=CONSENT_VERSION,
                text=str(CONSENT_TEXTS[purpose]),
            )
            for purpose, granted in (
                (StoryConsent.Purpose.PUBLISH, story.consent_publish),
                (StoryConsent.Purpose.STATISTICS, story.consent_statistics),
            )
        ]
    )
    send_story_email.enqueue(story.pk, "confirm")
    return story


def story_from_confirmation_token(token: str, *, max_age: int) -> Story | None:
    """The story a confirmation link is for, or None if the link is bad, old or stale."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    story = Story.objects.filter(pk=data.get("story")).first()
    if story is None or data.get("check") != email_check(story.email):
        return None
    return story


@transaction.atomic
def story_confirm_email(*, story: Story) -> Story:
    """The author proved the address is theirs: the story joins the moderation queue."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.status != Story.Status.UNCONFIRMED:
        return story
    story.status = Story.Status.PENDING
    story.email_confirmed_at = timezone.now()
    # The address is proven, so it becomes an account the author can sign in to by code.
    story.author = author_for_email(story.email)
    story.save(update_fields=["status", "email_confirmed_at", "author", "updated_at"])
    decision_record(subject=story, action=Action.CONFIRM, moderator=None)
    return story


@transaction.atomic
def story_approve(
    *, story: Story, moderator: AbstractBaseUser, note: str = "",
    changed_fields: list[str] | None = None,
) -> Story:
    """Publish a story. `changed_fields` names what the moderator edited with the decision
    (already saved, in the same transaction), for the decision log."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.status not in (Story.Status.PENDING, Story.Status.REJECTED):
        raise ValidationError(
            "Only a story waiting for review (or rejected earlier) can be approved; this one is "
            f"{story.get_status_display().lower()}."
        )
    story.status = Story.Status.APPROVED
    story.assign_slug()
    story.published_at = story.published_at or timezone.now()
    story.save(update_fields=["status", "slug", "published_at", "updated_at"])
    story_reports_resolve(story=story)
    decision_record(subject=story, action=Action.APPROVE, moderator=moderator, note=note,
                    changed_fields=changed_fields)
    send_story_email.enqueue(story.pk, "approved")
    return story


@transaction.atomic
def story_reject(
    *, story: Story, moderator: AbstractBaseUser, reason: RejectReason | str, note: str = ""
) -> Story:
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.status not in (Story.Status.PENDING, Story.Status.APPROVED):
        raise ValidationError(
            "Only a story waiting for review (or approved earlier) can be rejected; this one is "
            f"{story.get_status_display().lower()}."
        )
    if reason == RejectReason.OTHER and not note.strip():
        raise ValidationError("Say why in the note when the reason is 'another reason'.")
    story.status = Story.Status.REJECTED
    story.save(update_fields=["status", "updated_at"])
    story_reports_resolve(story=story)
    decision_record(
        subject=story, action=Action.REJECT, moderator=moderator, reason=reason, note=note
    )
    send_story_email.enqueue(story.pk, "rejected")
    return story


@transaction.atomic
def story_keep_published(
    *, story: Story, moderator: AbstractBaseUser, changed_fields: list[str] | None = None
) -> Story:
    """A moderator read what readers reported and keeps the story up (edited or not)."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if not story_reports_resolve(story=story):
        raise ValidationError("Nobody has reported this story since it was last checked.")
    decision_record(subject=story, action=Action.KEEP, moderator=moderator,
                    changed_fields=changed_fields)
    return story


def story_record_edit(*, story: Story, moderator: AbstractBaseUser, changed_fields: list[str]):
    """Log a moderator's edit (e.g. removing identifying details) without storing the text."""
    if changed_fields:
        decision_record(
            subject=story, action=Action.EDIT, moderator=moderator, changed_fields=changed_fields
        )


@transaction.atomic
def story_withdraw(*, story: Story) -> Story:
    """The author takes their story out of public view. Nothing is deleted."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.status in (Story.Status.WITHDRAWN, Story.Status.REJECTED):
        return story
    story.status = Story.Status.WITHDRAWN
    story.save(update_fields=["status", "updated_at"])
    story_reports_resolve(story=story)  # nothing left for a moderator to act on
    decision_record(subject=story, action=Action.WITHDRAW, moderator=None)
    return story


@transaction.atomic
def story_resubmit(*, story: Story) -> Story:
    """A withdrawn story goes back to a moderator before it is shown again."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.status != Story.Status.WITHDRAWN:
        return story
    story.status = Story.Status.PENDING
    story.save(update_fields=["status", "updated_at"])
    decision_record(subject=story, action=Action.RESUBMIT, moderator=None)
    return story


@transaction.atomic
def story_set_consent(*, story: Story, purpose: str, granted: bool) -> Story:
    """Change one consent; the new choice is recorded with the words the author saw."""
    field = {StoryConsent.Purpose.PUBLISH: "consent_publish",
             StoryConsent.Purpose.STATISTICS: "consent_statistics"}[purpose]
    story = Story.objects.select_for_update().get(pk=story.pk)
    if getattr(story, field) == granted:
        return story
    setattr(story, field, granted)
    story.save(update_fields=[field, "updated_at"])
    StoryConsent.objects.create(
        story=story, purpose=purpose, granted=granted, version=CONSENT_VERSION,
        text=str(CONSENT_TEXTS[purpose]),
    )
    return story


def _serialise_answers(story: Story) -> dict:
    values = {}
    for name in EDITABLE_FIELDS:
        value = Story._meta.get_field(name).value_from_object(story)
        if name == "country":
            value = str(value or "")
        elif isinstance(value, Decimal):
            value = str(value)
        values[name] = value
    return values


@transaction.atomic
def story_author_edit(*, story: Story, edited: Story) -> StoryRevision | None:
    """An author changed their story. A story nobody sees yet changes at once (a rejected one
    goes back to the queue); a published story keeps its published version until a moderator
    approves the edit, which is then kept as a revision."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if not story.is_public:
        for name in EDITABLE_FIELDS:
            setattr(story, name, getattr(edited, name))
        if story.status == Story.Status.REJECTED:
            story.status = Story.Status.PENDING
        story.full_clean()
        story.save()
        decision_record(subject=story, action=Action.AUTHOR_EDIT, moderator=None)
        return None
    edited.full_clean(validate_unique=False, validate_constraints=False)
    story.revisions.filter(status=StoryRevision.Status.PENDING).update(
        status=StoryRevision.Status.SUPERSEDED
    )
    revision = StoryRevision.objects.create(story=story, proposed=_serialise_answers(edited),
                                            base=_serialise_answers(story))
    decision_record(subject=story, action=Action.AUTHOR_EDIT, moderator=None)
    return revision


@transaction.atomic
def revision_approve(*, revision: StoryRevision, moderator: AbstractBaseUser) -> Story:
    revision = StoryRevision.objects.select_for_update().select_related("story").get(
        pk=revision.pk
    )
    if revision.status != StoryRevision.Status.PENDING:
        raise ValidationError("Only an edit waiting for review can be approved.")
    story = Story.objects.select_for_update().get(pk=revision.story_id)
    changed = []
    for name in revision.authors_fields():
        field = Story._meta.get_field(name)
        value = field.to_python(revision.proposed.get(name))
        if field.value_from_object(story) != value:
            changed.append(name)
        setattr(story, name, value)
    story.full_clean()
    story.save()
    revision.status = StoryRevision.Status.APPROVED
    revision.save(update_fields=["status"])
    decision_record(subject=story, action=Action.APPROVE_EDIT, moderator=moderator,
                    changed_fields=changed)
    return story


@transaction.atomic
def revision_reject(
    *, revision: StoryRevision, moderator: AbstractBaseUser, reason: str, note: str = ""
) -> StoryRevision:
    revision = StoryRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != StoryRevision.Status.PENDING:
        raise ValidationError("Only an edit waiting for review can be rejected.")
    revision.status = StoryRevision.Status.REJECTED
    revision.save(update_fields=["status"])
    decision_record(subject=revision.story, action=Action.REJECT_EDIT, moderator=moderator,
                    reason=reason, note=note)
    return revision
