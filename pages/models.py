from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hindsight.lib.markdown import body_changes_on_save, render_editor_markdown

# A contact message whose email could not be sent is deleted after this many days anyway.
CONTACT_RETENTION_DAYS = 14


class SitePage(models.Model):
    """One of the site's fixed pages (privacy, disclaimer...), written by moderators."""

    class Slug(models.TextChoices):
        ABOUT = "about", _("About this site")
        PRIVACY = "privacy", _("Privacy")
        DISCLAIMER = "disclaimer", _("Medical disclaimer")
        DISCLOSURE = "disclosure", _("Advertising and money")
        SUPPORT = "support", _("Support this site")

    slug = models.CharField(_("page"), max_length=20, choices=Slug.choices, unique=True)
    title = models.CharField(_("title"), max_length=150)
    summary = models.CharField(
        _("summary"), max_length=300,
        help_text=_("One or two sentences: shown under the title and to search engines."),
    )
    body = models.TextField(
        _("body"), max_length=50000,
        help_text=_("Markdown: ## headings, **bold**, lists, [links](https://…). Say only what "
                    "the site really does."),
    )
    body_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if body_changes_on_save(kwargs, {"body_html"}):
            self.body_html = render_editor_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(f"pages:{self.slug}")


class ContactMessage(models.Model):
    """A message sent through the contact form, kept only until it has been emailed (see
    `services.contact_prune` for the ones whose email never left)."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("email"))
    subject = models.CharField(_("subject"), max_length=150)
    message = models.TextField(_("message"), max_length=5000)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["received_at"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self) -> str:
        return self.subject
