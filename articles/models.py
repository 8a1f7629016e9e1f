from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hindsight.lib.markdown import render_editor_markdown


class Series(models.Model):
    """Articles meant to be read in order, like "CCSVI — Part 1, Part 2…"."""

    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("address"), unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:series", args=[self.slug])


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Article.Status.PUBLISHED, published_on__lte=timezone.localdate())


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("address"), unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("body"), help_text=_("Markdown. Cite every medical fact."))
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="articles", verbose_name=_("series"))
    order_in_series = models.PositiveSmallIntegerField(_("order in the series"), default=1)
    published_on = models.DateField(_("publish date"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.slug])

    def body_html(self) -> str:
        return render_editor_markdown(self.body)

    def neighbours(self) -> tuple["Article | None", "Article | None"]:
        """The published articles before and after this one in its series."""
        if self.series_id is None:
            return None, None
        siblings = Article.objects.published().filter(series_id=self.series_id)
        before = siblings.filter(order_in_series__lt=self.order_in_series).order_by(
            "-order_in_series").first()
        after = siblings.filter(order_in_series__gt=self.order_in_series).order_by(
            "order_in_series").first()
        return before, after
