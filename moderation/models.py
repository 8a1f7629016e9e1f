from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    EDIT = "edit", _("Edited")
    CONFIRM = "confirm", _("Email confirmed by author")
    WITHDRAW = "withdraw", _("Withdrawn by author")
    RESUBMIT = "resubmit", _("Sent back for review by author")
    SPAM = "spam", _("Marked as spam; the address is banned")
    CLOSE_COMMENTS = "close_comments", _("Comments closed")
    OPEN_COMMENTS = "open_comments", _("Comments reopened")
    AUTHOR_EDIT = "author_edit", _("Edited by author")
    APPROVE_EDIT = "approve_edit", _("Author's edit approved")
    REJECT_EDIT = "reject_edit", _("Author's edit rejected")
    KEEP = "keep", _("Kept published after readers' reports")


class RejectReason(models.TextChoices):
    IDENTIFYING = "identifying", _("It identifies someone and could not be edited safely")
    OFF_TOPIC = "off_topic", _("It is not about an experience of the treatment")
    ADVERTISING = "advertising", _("It advertises a clinic, product or service")
    SPAM = "spam", _("Spam")
    ABUSIVE = "abusive", _("It is abusive or attacks someone")
    DUPLICATE = "duplicate", _("It repeats a story already shared")
    DANGEROUS = "dangerous", _("It gives medical advice that could cause harm")
    OTHER = "other", _("Another reason (explained in the note)")


class ModerationDecision(models.Model):
    """One decision about one moderated object: who took it, when, what, and why.

    Rows are only ever added; the history of a story is the list of its decisions.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=RejectReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_decisions",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.content_type.model} {self.object_id}"
