"""After an erasure, no export built before it may still be downloaded: the person's rows
could be in it."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import ErasureRecord
from research.services import research_exports_discard_before


@receiver(post_save, sender=ErasureRecord, dispatch_uid="research.erasure")
def erased(sender, instance: ErasureRecord, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    # Once committed: a build that starts before then still reads the person's rows, so it
    # counts as built before the erasure. Robust, since the erasure is done by then and must
    # not look failed; a file that could not be deleted here goes in the daily prune.
    transaction.on_commit(
        lambda: research_exports_discard_before(when=timezone.now()), robust=True
    )
