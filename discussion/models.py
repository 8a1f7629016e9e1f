from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from hindsight.lib.markdown import body_changes_on_save, render_author_markdown
from stories.choices import ReportReason


class Commenter(models.Model):
    """An email address that comments (or receives comment emails), and what we know of it:
    whether it was confirmed, whether a moderator has approved a comment from it (trusted),
    whether it is banned, and what email it wants."""

    email = models.EmailField(_("email"), unique=True)
    confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    trusted_at = models.DateTimeField(
        _("first comment approved"), null=True, blank=True,
        help_text=_("Later comments from a confirmed browser publish at once unless a rule "
                    "holds them."),
    )
    banned_at = models.DateTimeField(_("banned as a spammer"), null=True, blank=True)
    wants_reply_emails = models.BooleanField(_("emails about replies"), default=True)
    wants_story_emails = models.BooleanField(_("emails about comments on my story"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commenter")
        verbose_name_plural = _("commenters")

    def __str__(self) -> str:
        return f"commenter {self.pk}"

    @property
    def is_trusted(self) -> bool:
        return bool(self.trusted_at and self.confirmed_at and not self.banned_at)


class CommentQuerySet(models.QuerySet["Comment"]):
    def published(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PUBLISHED)

    def for_target(self, target: models.Model) -> "CommentQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )

    def needing_review(self) -> "CommentQuerySet":
        return self.filter(
            models.Q(status=Comment.Status.PENDING)
            | models.Q(reports__resolved=False, status=Comment.Status.PUBLISHED)
        ).distinct()


class Comment(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the commenter to confirm their email")
        PENDING = "pending", _("Waiting for a moderator")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        DELETED = "deleted", _("Deleted by the commenter")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies",
        verbose_name=_("in reply to"),
    )
    # Empty once the commenter chose to be erased but to leave their words, anonymised.
    commenter = models.ForeignKey(
        Commenter, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=60)
    body = models.TextField(_("comment"), max_length=5000)
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNCONFIRMED
    )
    hold_reasons = models.JSONField(_("why it was held"), default=list, blank=True)
    by_story_author = models.BooleanField(_("written by the story's author"), default=False)
    edit_key_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "status", "created_at"])]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:60]}"

    def save(self, *args, **kwargs) -> None:
        if body_changes_on_save(kwargs, {"body_html"}):
            self.body_html = render_author_markdown(self.body)
        super().save(*args, **kwargs)


class CommentReport(models.Model):
    Reason = ReportReason  # shared with story reports

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    resolved = models.BooleanField(_("dealt with"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · comment {self.comment_id}"


class ClosedDiscussion(models.Model):
    """Comments are closed on this page (a story or an article)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"],
                                               name="close_a_discussion_once")]
        verbose_name = _("closed discussion")
        verbose_name_plural = _("closed discussions")

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}"


class BlockedTerm(models.Model):
    class Kind(models.TextChoices):
        WORD = "word", _("Word or phrase")
        DOMAIN = "domain", _("Web domain")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="block_once")]
        verbose_name = _("blocked word or domain")
        verbose_name_plural = _("blocked words and domains")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
