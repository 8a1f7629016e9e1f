import hashlib

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

    email_hash = models.CharField(max_length=64, db_index=True)
    stories_erased = models.PositiveIntegerField(default=0)
    account_erased = models.BooleanField(default=False)
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"{self.erased_at:%Y-%m-%d %H:%M}"
