from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treatments.models import Treatment


class SearchDocumentQuerySet(models.QuerySet["SearchDocument"]):
    def visible(self) -> "SearchDocumentQuerySet":
        """Documents that may be shown now (an article can be published for a later day)."""
        return self.filter(published_at__lte=timezone.now())


class SearchDocument(models.Model):
    """One piece of public content as search sees it: the single source both engines index.

    Only public content has a row; a row is written or removed in the same transaction as the
    change to its source (see `search.signals`). The engines index `title_terms` and
    `body_terms` (keys, see `search.text`) with structures the database keeps current itself,
    made in migration 0002: on SQLite an FTS5 table fed by triggers on this table, on
    PostgreSQL a generated tsvector column with a GIN index. On SQLite, a migration that alters
    this table makes Django rebuild it, which drops the triggers: such a migration must create
    them again (the tests of `search.tests.test_index` fail until it does).
    """

    class Kind(models.TextChoices):
        STORY = "story", _("Story")
        FOLLOWUP = "followup", _("Follow-up")
        ARTICLE = "article", _("Article")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    # The story a story or follow-up belongs to, so a story leaves the index with everything
    # that hangs on it in one statement.
    story_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    published_at = models.DateTimeField()
    is_demo = models.BooleanField(default=False)

    # The story's answers, for the same filters as the story list. Articles leave them empty.
    treatment = models.ForeignKey(
        Treatment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    procedure_status = models.CharField(max_length=20, blank=True)
    result = models.CharField(max_length=20, blank=True)
    ms_type = models.CharField(max_length=10, blank=True)
    country = models.CharField(max_length=2, blank=True)
    procedure_kind = models.CharField(max_length=20, blank=True)
    treated_year = models.PositiveSmallIntegerField(null=True, blank=True)

    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_document_per_object"),
        ]
        indexes = [models.Index(fields=["published_at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"
