from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hindsight.lib.markdown import render_editor_markdown


class TreatmentQuerySet(models.QuerySet["Treatment"]):
    def active(self) -> "TreatmentQuerySet":
        return self.filter(is_active=True)


class Treatment(models.Model):
    """A treatment people share stories about. Its page says plainly what the evidence shows."""

    slug = models.SlugField(_("address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(
        _("short name"), max_length=60, help_text=_("Used in sentences, e.g. 'venoplasty'.")
    )
    also_known_as = models.CharField(_("also known as"), max_length=200, blank=True)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two plain sentences for lists.")
    )
    about = models.TextField(_("what it is"), help_text=_("Markdown."))
    evidence = models.TextField(
        _("what the evidence shows"), help_text=_("Markdown. Cite every fact.")
    )
    sources = models.TextField(_("sources"), help_text=_("Markdown list of citations."))
    is_active = models.BooleanField(_("accepting stories"), default=True)

    objects = TreatmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("treatments:detail", args=[self.slug])

    def about_html(self) -> str:
        return render_editor_markdown(self.about)

    def evidence_html(self) -> str:
        return render_editor_markdown(self.evidence)

    def sources_html(self) -> str:
        return render_editor_markdown(self.sources)
