"""No export built before someone left the counted data may still be downloaded: the person's
rows could be in it. Before exports were kept, every download was built afresh and so left out
anyone who had gone since; these keep it so.

Someone leaves the exported data (`selectors.exported_stories`: counted and not published) when
they are erased, withdraw their consent to statistics, agree to publish their story, withdraw
their story, have it rejected
(or unpublished) by a moderator, have it deleted, or have it changed so that it no longer
counts or counts for another treatment. Each of these, once committed, discards the ready
exports built before it and sends builds under way back to the queue
(`research_exports_discard_before`). Changes that cannot take anyone out (an approval, a
consent given, an edit of the words) discard nothing. A rolled-back change discards nothing,
and a transaction that makes many such changes (an erasure deleting several stories, say)
discards once."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import ErasureRecord
from followups.models import FollowUp
from hindsight.lib.signals import connect_with_proxies
from moderation.models import Action, ModerationDecision
from research.services import research_exports_discard_before
from stories.models import Story, StoryConsent

# Decisions about a story that can take it out of the counted data.
STORY_LEAVES = frozenset({Action.WITHDRAW, Action.REJECT})
# Edits that can (besides its status and consents, changed by decisions and consent records
# only): a story counts only if treated and with a year, and for its own treatment only.
COUNTED_BY = frozenset({"treatment", "procedure_status", "treated_year"})
# A moderator's edit of a story, and an author's edit approved by one, say what they changed.
EDITS_WITH_FIELDS = frozenset({Action.EDIT, Action.APPROVE_EDIT})


def discard_exports_once_committed(using: str | None = None) -> None:
    """Discard the exports built before now, once the current transaction commits (at once
    outside one). One discard per transaction, however many changes ask for it."""
    connection = transaction.get_connection(using)
    for _savepoints, callback, _robust in connection.run_on_commit:
        # One still waiting to run covers this change too: it runs after the same commit, and
        # a savepoint rolled back takes it away only with every change made after it.
        if getattr(callback, "research_discard_pending", False):
            return

    def discard() -> None:
        discard.research_discard_pending = False
        research_exports_discard_before()

    discard.research_discard_pending = True
    # Robust: the change is done by then and must not look failed; a file that could not be
    # deleted here goes in the daily prune.
    transaction.on_commit(discard, using=using, robust=True)


@receiver(post_save, sender=ErasureRecord, dispatch_uid="research.erasure")
def erased(sender, instance: ErasureRecord, created: bool, raw: bool = False,
           using: str | None = None, **kwargs) -> None:
    if created and not raw:
        discard_exports_once_committed(using)


@receiver(post_save, sender=StoryConsent, dispatch_uid="research.consent")
def consent_recorded(sender, instance: StoryConsent, created: bool, raw: bool = False,
                     using: str | None = None, **kwargs) -> None:
    """A consent record is added for each change (`stories.services.story_set_consent`).
    Consent to statistics withdrawn takes a story out; consent to publish given does too
    (exports hold unpublished stories only: `selectors.exported_stories`)."""
    if created and not raw and (
            (instance.purpose == StoryConsent.Purpose.STATISTICS and not instance.granted)
            or (instance.purpose == StoryConsent.Purpose.PUBLISH and instance.granted)):
        discard_exports_once_committed(using)


def _story_type_id() -> int:
    return ContentType.objects.get_for_model(Story).pk  # cached after the first time


def _takes_someone_out(decision: ModerationDecision) -> bool:
    if decision.content_type_id == ContentType.objects.get_for_model(FollowUp).pk:
        # Exports carry approved follow-ups: a rejected one goes from the next export.
        return decision.action == Action.REJECT
    if decision.content_type_id != _story_type_id():
        return False
    if decision.action in STORY_LEAVES:
        return True
    if decision.action in EDITS_WITH_FIELDS:
        return not COUNTED_BY.isdisjoint(decision.changed_fields or ())
    if decision.action == Action.AUTHOR_EDIT:
        # An author's edit changes an approved story at once only while it is not published
        # (counted, with consent to statistics only); a published one waits for a moderator.
        return Story.objects.filter(pk=decision.object_id, status=Story.Status.APPROVED,
                                    consent_publish=False).exists()
    return False


@receiver(post_save, sender=ModerationDecision, dispatch_uid="research.decision")
def decided(sender, instance: ModerationDecision, created: bool, raw: bool = False,
            using: str | None = None, **kwargs) -> None:
    """Every change of a story's status writes a decision (`stories.services`)."""
    if created and not raw and _takes_someone_out(instance):
        discard_exports_once_committed(using)


def story_deleted(sender, instance: Story, using: str | None = None, **kwargs) -> None:
    # Only an approved story is counted; a deferred status (deleted by a queryset that read
    # only some columns) counts as approved.
    if instance.__dict__.get("status", Story.Status.APPROVED) == Story.Status.APPROVED:
        discard_exports_once_committed(using)


@receiver(post_delete, sender=FollowUp, dispatch_uid="research.followup_deleted")
def followup_deleted(sender, instance: FollowUp, using: str | None = None, **kwargs) -> None:
    if instance.__dict__.get("status", FollowUp.Status.APPROVED) == FollowUp.Status.APPROVED:
        discard_exports_once_committed(using)


# With its proxies: a delete through the moderation queue's (in the admin) names the proxy.
connect_with_proxies(post_delete, story_deleted, [Story], dispatch_uid="research.story_deleted")
