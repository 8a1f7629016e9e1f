import json

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    SIGNIN_OK = "signin.ok", _("Signed in")
    SIGNIN_FAILED = "signin.failed", _("Sign-in failed")
    SIGNIN_LOCKED = "signin.locked", _("Sign-in locked after repeated failures")
    SIGNIN_REFUSED = "signin.refused", _("Sign-in refused while locked")
    SIGNOUT = "signout", _("Signed out")
    MFA_ADDED = "mfa.added", _("Authenticator added")
    MFA_REMOVED = "mfa.removed", _("Authenticator removed")
    MFA_RESET = "mfa.reset", _("Recovery codes made again")
    PASSWORD_CHANGED = "password.changed", _("Password set, changed or reset")
    MODERATION_DECISION = "moderation.decision", _("Moderation decision")
    ADMIN_CHANGE = "admin.change", _("Change in the moderation site")
    EXPORT_RESEARCH = "export.research", _("Research export downloaded")
    EXPORT_PERSONAL = "export.personal", _("Personal data export downloaded")
    ERASURE_STORY = "erasure.story", _("Story erased")
    ERASURE_PERSON = "erasure.person", _("Person erased")
    REFUSED_FORBIDDEN = "refused.forbidden", _("Request refused: not allowed (403)")
    REFUSED_RATE_LIMITED = "refused.rate_limited", _("Request refused: too many (429)")


class AppendOnlyError(Exception):
    """Audit events are written once and never changed or deleted."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One security-relevant event. Holds ids, codes, counts, field names and keyed hashes,
    never an email address, a name, health data or anything a person typed, so it can be kept
    after an erasure and shown to auditors."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True, editable=False)
    action = models.CharField(_("event"), max_length=32, choices=Action.choices, db_index=True)
    # A plain number, not a foreign key: the event outlives the account, and an id says
    # nothing about whose it was once the account is gone.
    actor_id = models.PositiveBigIntegerField(
        _("by user (id)"), null=True, blank=True, db_index=True
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    details = models.JSONField(
        _("details"), default=dict, blank=True,
        help_text=_("Codes, counts and field names only."),
    )
    ip_hash = models.CharField(
        _("connection (keyed hash)"), max_length=64, blank=True, db_index=True,
        help_text=_("A keyed hash of the client's IP address: the same address gives the "
                    "same hash, and the address cannot be read back."),
    )
    login_hash = models.CharField(
        _("sign-in name (keyed hash)"), max_length=64, blank=True, db_index=True,
        help_text=_("For sign-in events: a keyed hash of the email or name that was typed, so "
                    "repeated attempts on one account can be seen without keeping it."),
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.action} · {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def log_line(self) -> str:
        """This event as one line of JSON. `ensure_ascii` escapes every character outside
        printable ASCII (newlines, carriage returns, ANSI escapes, U+2028…), so no value can
        end the line or start a forged one."""
        return json.dumps(
            {
                "at": self.at.isoformat(),
                "id": self.pk,
                "event": self.action,
                "actor": self.actor_id,
                "object_type": self.object_type or None,
                "object_id": self.object_id,
                "details": self.details,
                "ip": self.ip_hash or None,
                "login": self.login_hash or None,
            },
            ensure_ascii=True,
            sort_keys=True,
            separators=(",", ":"),
        )
