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

    def set_evidence_items(self, items: list[dict]) -> None:
        """Create or update the listed studies and warnings, in the order given."""
        for order, item in enumerate(items):
            self.evidence_items.update_or_create(name=item["name"],
                                                 defaults={**item, "order": order})


class EvidenceItem(models.Model):
    """One study or safety warning on a treatment's evidence page, with its citation.

    Moderators keep these; what each says must come from the cited source.
    """

    class Kind(models.TextChoices):
        CONTROLLED_TRIAL = "controlled_trial", _("Sham-controlled trial")
        CONDITION_STUDY = "condition_study", _("Study of the proposed condition")
        CASE_SERIES = "case_series", _("Uncontrolled study or case series")
        REVIEW = "review", _("Systematic review")
        SAFETY_WARNING = "safety_warning", _("Safety warning")

    treatment = models.ForeignKey(
        Treatment, on_delete=models.CASCADE, related_name="evidence_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150, help_text=_("E.g. 'Brave Dreams'."))
    published = models.CharField(
        _("when"), max_length=60,
        help_text=_("As the source gives it, e.g. '2018' or '10 May 2012'."),
    )
    findings = models.TextField(
        _("what it found"), help_text=_("Markdown. Plain sentences; every number from the source.")
    )
    citation = models.CharField(_("citation"), max_length=400)
    url = models.URLField(_("link to the source"), max_length=400, blank=True)
    order = models.PositiveSmallIntegerField(_("order on the page"), default=0)

    class Meta:
        ordering = ["treatment", "order", "pk"]
        verbose_name = _("study or warning")
        verbose_name_plural = _("studies and warnings")
        constraints = [
            models.UniqueConstraint(fields=["treatment", "name"], name="evidence_item_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def findings_html(self) -> str:
        return render_editor_markdown(self.findings)
