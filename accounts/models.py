import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def email_fingerprint(email: str) -> str:
    """A keyed hash of an address: lets a restore re-apply an erasure without keeping the
    address itself."""
    key = settings.SECRET_KEY.encode()
    return hashlib.blake2b(email.strip().lower().encode(), key=key[:64], digest_size=32).hexdigest()


class ErasureRecord(models.Model):
    """That someone asked to be erased, and when. Holds no personal data: only a keyed hash of
    their email, so an erasure can be applied again after restoring an older backup."""

    class Kind(models.TextChoices):
        STORY = "story", _("one story")
        PERSON = "person", _("a whole person")

    # Names this erasure in the journal and in restored databases, so a restore can tell which
    # erasures an older copy already holds.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    email_hash = models.CharField(max_length=64, db_index=True)
    # Database ids are not personal data: they say which rows to delete again in an older copy
    # of the database, and nothing about whose they were.
    story_ids = models.JSONField(default=list, blank=True)
    stories_erased = models.PositiveIntegerField(default=0)
    account_erased = models.BooleanField(default=False)
    comments_kept = models.BooleanField(
        default=False, help_text=_("The person kept the words of their comments, anonymously.")
    )
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"{self.erased_at:%Y-%m-%d %H:%M}"

    def journal_entry(self) -> dict:
        """This erasure as one line of the erasure journal: no address, no words."""
        return {
            "uid": str(self.uid),
            "erased_at": self.erased_at.isoformat(),
            "kind": self.kind,
            "email_hash": self.email_hash,
            "story_ids": list(self.story_ids),
            "comments_kept": self.comments_kept,
        }
