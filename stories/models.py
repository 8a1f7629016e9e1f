import datetime
import html
import secrets

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from hindsight.lib.markdown import body_changes_on_save, render_author_markdown
from stories.choices import (
    CURRENCIES,
    PROCEDURE_STATUS_PUBLIC,
    AgeBand,
    ChangeOnset,
    Complication,
    MsType,
    ProcedureKind,
    ProcedureStatus,
    ReportReason,
    Result,
    Sex,
    SymptomChange,
    TreatedAgain,
    Vein,
    choice_labels,
    symptom_rows,
)
from stories.dates import earliest_treatment_day
from stories.validators import CodesValidator, validate_no_bidi_controls, validate_symptom_answers
from treatments.models import Treatment

EXCERPT_LENGTH = 240

# Bump when the wording of a consent changes; the exact text given is stored with each record.
CONSENT_VERSION = "2026-11-1"
CONSENT_TEXTS = {
    "publish": _(
        "Publish my story on this site under my display name, after a moderator has read it. "
        "My email address is never shown."
    ),
    "statistics": _(
        "Include my answers, without my name, email or words, in the site's statistics and in "
        "de-identified data for researchers."
    ),
}


class StoryQuerySet(models.QuerySet["Story"]):
    def public(self) -> "StoryQuerySet":
        """Stories anyone may read: approved by a moderator, with the author's consent."""
        # `__in=[True]` rather than `=True`: Django writes the latter as a bare column, which
        # SQLite does not match against the second column of the indexes below.
        return self.filter(status=Story.Status.APPROVED, consent_publish__in=[True])

    def awaiting_review(self) -> "StoryQuerySet":
        return self.filter(status=Story.Status.PENDING)

    def for_list(self) -> "StoryQuerySet":
        """Only what a list row shows, newest first, in one query."""
        return (
            self.select_related("treatment")
            .only(
                "slug", "title", "excerpt", "display_name", "published_at", "procedure_status",
                "treated_month", "treated_year", "country", "city", "procedure_kind", "result",
                "symptoms", "change_onset", "complications", "is_demo", "treatment__name",
                "treatment__slug", "treatment__short_name",
            )
            .order_by("-published_at", "-id")
        )


class Story(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the author to confirm their email")
        PENDING = "pending", _("Waiting for a moderator")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn by the author")

    treatment = models.ForeignKey(
        Treatment, verbose_name=_("treatment"), on_delete=models.PROTECT, related_name="stories"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNCONFIRMED
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True, null=True, blank=True)

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("story"), max_length=20000)
    body_html = models.TextField(editable=False, default="")
    excerpt = models.CharField(max_length=300, editable=False, default="")

    # Did you get the treatment? Where? Who did it?
    procedure_status = models.CharField(
        _("had the procedure"), max_length=20, choices=ProcedureStatus.choices
    )
    treated_month = models.PositiveSmallIntegerField(
        _("month treated"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    treated_year = models.PositiveSmallIntegerField(
        _("year treated"), null=True, blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    clinic = models.CharField(_("clinic or hospital"), max_length=200, blank=True)
    treated_by = models.CharField(_("who treated you"), max_length=200, blank=True)
    procedure_kind = models.CharField(
        _("balloon or stent"), max_length=20, choices=ProcedureKind.choices, blank=True
    )
    veins = models.JSONField(
        _("veins treated"), default=list, blank=True, validators=[CodesValidator(Vein.values)]
    )

    # Was it a success? What improved? How soon?
    result = models.CharField(
        _("overall result"), max_length=20, choices=Result.choices, blank=True
    )
    symptoms = models.JSONField(
        _("symptoms"), default=dict, blank=True, validators=[validate_symptom_answers]
    )
    change_onset = models.CharField(
        _("how soon a change came"), max_length=20, choices=ChangeOnset.choices, blank=True
    )
    complications = models.JSONField(
        _("complications"), default=list, blank=True,
        validators=[CodesValidator(Complication.values)],
    )
    complications_other = models.CharField(
        _("other complication"), max_length=200, blank=True
    )
    treated_again = models.CharField(
        _("treated again"), max_length=10, choices=TreatedAgain.choices, blank=True
    )
    cost_amount = models.DecimalField(
        _("cost"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    cost_currency = models.CharField(
        _("currency"), max_length=3, blank=True, choices=CURRENCIES
    )

    # About the author, all optional.
    ms_type = models.CharField(_("type of MS"), max_length=10, choices=MsType.choices, blank=True)
    diagnosis_year = models.PositiveSmallIntegerField(
        _("year of diagnosis"), null=True, blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        help_text=_("Made when the author confirms their email; they sign in with a code."),
    )
    display_name = models.CharField(
        _("display name"), max_length=60, validators=[validate_no_bidi_controls]
    )
    email = models.EmailField(_("email"))
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    consent_publish = models.BooleanField(_("consents to publication"), default=False)
    consent_statistics = models.BooleanField(_("consents to statistics"), default=False)
    reminders_enabled = models.BooleanField(_("asked for follow-up reminders"), default=False)

    is_demo = models.BooleanField(
        _("invented example"), default=False, help_text=_("Demo content, not a real person.")
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            models.Index(fields=["status", "consent_publish", "-published_at"]),
            models.Index(fields=["status", "submitted_at"]),
            # The public list's filters: its count, the country choices and a filtered page
            # are read from this index alone, whichever filters are chosen.
            models.Index(
                fields=["status", "consent_publish", "country", "result", "ms_type",
                        "procedure_status"],
                name="story_public_filters_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Derived text is kept beside the source so list and story pages never render Markdown.
        if body_changes_on_save(kwargs, {"body_html", "excerpt"}):
            self.refresh_derived()
        update_fields = kwargs.get("update_fields")
        # Read without loading a deferred title: a story saved without its title kept it.
        loaded = self.__dict__.get("_loaded_title")
        title_changed = loaded is not None and self.__dict__.get("title", loaded) != loaded
        if self.slug and title_changed and not self.slug_matches_title() and \
                (update_fields is None or "title" in update_fields):
            # A name taken out of the title must leave the address too (sitemap, feeds, links).
            self.slug = None
            self.assign_slug()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "slug"}
        super().save(*args, **kwargs)
        if "title" in self.__dict__:
            self._loaded_title = self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:detail", args=[self.slug])

    @classmethod
    def from_db(cls, db, field_names, values):
        story = super().from_db(db, field_names, values)
        if "title" in field_names:
            story._loaded_title = story.title
        return story

    def refresh_derived(self) -> None:
        self.body_html = render_author_markdown(self.body)
        plain = " ".join(html.unescape(strip_tags(self.body_html)).split())
        # Cut by code points: Truncator counts combining marks as nothing, so its "240
        # characters" of Thai or vowelled Arabic can overflow the column.
        self.excerpt = plain if len(plain) <= EXCERPT_LENGTH else (
            plain[: EXCERPT_LENGTH - 1].rstrip() + "…"
        )

    def _slug_base(self) -> str:
        return slugify(self.title)[:60].strip("-") or "story"

    def slug_matches_title(self) -> bool:
        return bool(self.slug) and self.slug.rsplit("-", 1)[0] == self._slug_base()

    def assign_slug(self) -> None:
        """Give a readable address, made from the title as approved (after any edits)."""
        if self.slug:
            return
        self.slug = f"{self._slug_base()}-{secrets.token_hex(5)}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED and self.consent_publish

    @property
    def in_publication(self) -> bool:
        """Published, or on its way there (waiting for the email or a moderator): the author's
        consents and reminders act on it now, and it can be withdrawn. A withdrawn or rejected
        story waits for its author instead (to send it back, or to edit it)."""
        return self.status in (self.Status.UNCONFIRMED, self.Status.PENDING,
                               self.Status.APPROVED)

    @property
    def had_procedure(self) -> bool:
        return self.procedure_status == ProcedureStatus.HAD

    def baseline_or_none(self):
        """The before-treatment baseline, if one was recorded (it is optional)."""
        try:
            return self.baseline
        except ObjectDoesNotExist:
            return None

    def procedure_status_public(self) -> str:
        return str(PROCEDURE_STATUS_PUBLIC.get(self.procedure_status, ""))

    def clean(self) -> None:
        super().clean()
        start = self.earliest_treatment_day()
        if self.pk and start:
            first = self.followups.order_by("reported_on").values_list(
                "reported_on", flat=True).first()
            if first and first < start:
                raise ValidationError({"treated_month": _(
                    "A follow-up of this story is dated %(day)s, before this treatment date. "
                    "Correct the follow-up's date first."
                ) % {"day": formats.date_format(first, "j F Y")}})

    def earliest_treatment_day(self) -> datetime.date | None:
        """The first day the treatment can have been (docs/analysis-plan.md): no report may be
        dated before it."""
        return earliest_treatment_day(self.treated_year, self.treated_month)

    def treated_on_display(self) -> str:
        if not self.treated_year:
            return ""
        if self.treated_month and 1 <= self.treated_month <= 12:
            return formats.date_format(
                datetime.date(self.treated_year, self.treated_month, 1), "F Y"
            )
        return str(self.treated_year)

    def place_display(self) -> str:
        parts = [self.city, self.country.name if self.country else ""]
        return ", ".join(part for part in parts if part)

    def symptom_changes(self) -> list[tuple[str, str, str]]:
        """(code, symptom label, change label) for each symptom the author answered."""
        return symptom_rows(self.symptoms, SymptomChange)

    def vein_labels(self) -> list[str]:
        return choice_labels(self.veins, Vein)

    def complication_labels(self) -> list[str]:
        return choice_labels(self.complications, Complication)

    def summary(self) -> str:
        """One line such as: Treated in March 2011 in Katowice, Poland · Balloon angioplasty ·
        'A little better' · fatigue better within a week."""
        if not self.had_procedure:
            return self.procedure_status_public()
        parts = []
        treated = gettext("Treated")
        if when := self.treated_on_display():
            treated += " " + gettext("in %(when)s") % {"when": when}
        if where := self.place_display():
            treated += " " + gettext("in %(where)s") % {"where": where}
        parts.append(treated)
        if self.procedure_kind and self.procedure_kind != ProcedureKind.UNSURE:
            parts.append(str(self.get_procedure_kind_display()))
        if self.result:
            parts.append(f"‘{self.get_result_display()}’")
        by_change: dict[str, list[str]] = {"better": [], "worse": []}
        for code, label, _change in self.symptom_changes():
            if self.symptoms[code] in by_change:
                by_change[self.symptoms[code]].append(str(label).lower())
        if better := by_change["better"]:
            improved = gettext("%(symptoms)s better") % {"symptoms": ", ".join(better[:3])}
            if self.change_onset and self.change_onset != ChangeOnset.NONE:
                improved += " " + str(self.get_change_onset_display()).lower()
            parts.append(improved)
        # Worse news is told as plainly as better news.
        if worse := by_change["worse"]:
            parts.append(gettext("%(symptoms)s worse") % {"symptoms": ", ".join(worse[:3])})
        complications = [
            str(label).lower() for code, label in Complication.choices
            if code in self.complications and code != Complication.NONE
        ]
        if complications:
            parts.append(", ".join(complications).capitalize())
        return " · ".join(parts)


class StoryConsent(models.Model):
    """What the author agreed to, in the words they saw, and when. Rows are only added."""

    class Purpose(models.TextChoices):
        PUBLISH = "publish", _("Publish my story")
        STATISTICS = "statistics", _("Include my answers in statistics")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    granted = models.BooleanField()
    version = models.CharField(max_length=20)
    text = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        state = gettext("given") if self.granted else gettext("not given")
        return f"{self.get_purpose_display()}: {state}"


class StoryAwaitingReview(Story):
    """The moderation queue: stories whose authors confirmed their email, oldest first."""

    class Meta:
        proxy = True
        verbose_name = _("story awaiting review")
        verbose_name_plural = _("stories awaiting review")


# What an author may change after sharing. Email and consents have their own pages.
EDITABLE_FIELDS = [
    "procedure_status", "treated_month", "treated_year", "country", "city", "clinic",
    "treated_by", "procedure_kind", "veins", "result", "symptoms", "change_onset",
    "complications", "complications_other", "treated_again", "cost_amount", "cost_currency",
    "title", "body", "ms_type", "diagnosis_year", "age_band", "sex", "display_name",
]


class StoryRevision(models.Model):
    """An author's edit of a published story, waiting for a moderator. Until it is approved
    the published version stays up unchanged."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a moderator")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Replaced by a later edit")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    proposed = models.JSONField(_("proposed answers"))
    # The published answers the author started from: approving applies only what the author
    # changed, so a moderator's later correction of another field is not undone.
    base = models.JSONField(_("answers the edit started from"), default=dict, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("edit awaiting review")
        verbose_name_plural = _("edits awaiting review")

    def __str__(self) -> str:
        return str(self.proposed.get("title") or self.story.title)

    def authors_fields(self) -> list[str]:
        """The fields the author changed (every field for an edit made before `base` was
        kept)."""
        if not self.base:
            return list(EDITABLE_FIELDS)
        return [name for name in EDITABLE_FIELDS
                if self.proposed.get(name) != self.base.get(name)]

    def changes(self) -> list[tuple[str, object, object]]:
        """(field label, published value, proposed value) for each field the edit changes."""
        rows = []
        for name in EDITABLE_FIELDS:
            field = Story._meta.get_field(name)
            current = field.value_from_object(self.story)
            proposed = field.to_python(self.proposed.get(name))
            if name == "country":
                current = str(current or "")
            if current != proposed:
                rows.append((field.verbose_name, current, proposed))
        return rows


REPORT_NOTE_MAX_LENGTH = 1000


class StoryReport(models.Model):
    """A reader says something is wrong with a published story. Open reports wait for a
    moderator; the note is the reader's own words, kept as plain text and never rendered."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    # A TextField's max_length only sizes a form's widget, so the length is also a validator:
    # a service called without the form is held to the same limit.
    note = models.TextField(
        _("note"), max_length=REPORT_NOTE_MAX_LENGTH, blank=True,
        validators=[MaxLengthValidator(REPORT_NOTE_MAX_LENGTH), ProhibitNullCharactersValidator(),
                    validate_no_bidi_controls],
    )
    resolved = models.BooleanField(_("dealt with"), default=False)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("story report")
        verbose_name_plural = _("story reports")
        indexes = [models.Index(fields=["resolved", "created_at"], name="storyreport_open_idx")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · story {self.story_id}"
