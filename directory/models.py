import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from directory.validators import validate_one_line
from hindsight.lib.markdown import render_editor_markdown
from stories.models import Story
from stories.validators import validate_no_bidi_controls
from treatments.models import Treatment

# Addresses under /directory/ that are pages, not entries.
RESERVED_SLUGS = {"suggest", "lookup"}


def folded(text: str) -> str:
    """Text as the lookup compares it: without accents, case or repeated spaces, so that
    "zurich" finds "Zürich" on SQLite as on PostgreSQL."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


class WebAddressField(models.URLField):
    """A link to a public page: http or https only, never javascript: or data:."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class EntryKind(models.TextChoices):
    RESEARCHER = "researcher", _("Researcher")
    CLINICIAN = "clinician", _("Clinician who performs the procedure")
    CENTRE = "centre", _("Centre")


class DirectoryEntryQuerySet(models.QuerySet["DirectoryEntry"]):
    def published(self) -> "DirectoryEntryQuerySet":
        return self.filter(status=DirectoryEntry.Status.PUBLISHED)


class DirectoryEntry(models.Model):
    """A person or centre involved with a treatment, with the public sources for what is said."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    Kind = EntryKind

    name = models.CharField(
        _("name"), max_length=150, validators=[validate_one_line, validate_no_bidi_controls]
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True,
                            help_text=_("The entry's page is /directory/<address>/."))
    kind = models.CharField(_("role"), max_length=20, choices=EntryKind.choices)
    position = models.CharField(
        _("position"), max_length=200, blank=True, validators=[validate_one_line],
        help_text=_("For example: ‘Director of the Centre for Vascular Diseases’."),
    )
    institution = models.CharField(
        _("institution"), max_length=200, blank=True, validators=[validate_one_line]
    )
    city = models.CharField(_("city"), max_length=100, blank=True,
                            validators=[validate_one_line])
    country = CountryField(_("country"), blank=True)
    description = models.TextField(
        _("what they do or did"), blank=True,
        help_text=_("Markdown. Only what the sources below support; cite each claim there."),
    )
    treatments = models.ManyToManyField(
        Treatment, verbose_name=_("treatments"), blank=True, related_name="directory_entries"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What the share form's lookup searches, kept beside the source (see `folded`).
    lookup_who = models.TextField(editable=False, default="")
    lookup_where = models.TextField(editable=False, default="")

    objects = DirectoryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_lookup()
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "lookup_who", "lookup_where"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:detail", args=[self.slug])

    def clean(self) -> None:
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This address is taken by a page of the site.")})

    def refresh_lookup(self) -> None:
        self.lookup_who = folded(" ".join([self.name, self.institution]))
        where = [self.institution, self.city]
        if self.kind == EntryKind.CENTRE:
            where.insert(0, self.name)
        self.lookup_where = folded(" ".join(where))

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def description_html(self) -> str:
        return render_editor_markdown(self.description)

    def place_display(self) -> str:
        parts = [self.city, self.country.name if self.country else ""]
        return ", ".join(part for part in parts if part)

    def where_value(self) -> str:
        """What the share form's "clinic or hospital" takes from this entry."""
        if self.kind == EntryKind.CENTRE:
            return self.name
        return self.institution


class EntrySource(models.Model):
    """One public source and the claim about the entry that it supports."""

    entry = models.ForeignKey(DirectoryEntry, on_delete=models.CASCADE, related_name="sources",
                              verbose_name=_("entry"))
    claim = models.CharField(
        _("claim"), max_length=500,
        help_text=_("What this source says about the entry, in a sentence."),
    )
    title = models.CharField(
        _("source"), max_length=300,
        help_text=_("A citation or a plain description of where the claim comes from."),
    )
    url = WebAddressField(_("link"), max_length=500, blank=True,
                          help_text=_("A public http(s) address, if there is one."))
    accessed_on = models.DateField(_("accessed"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title


class EntrySuggestionQuerySet(models.QuerySet["EntrySuggestion"]):
    def pending(self) -> "EntrySuggestionQuerySet":
        return self.filter(status=EntrySuggestion.Status.PENDING)


class EntrySuggestion(models.Model):
    """A new entry or a correction, as typed by a member of the public, for a moderator.

    Nothing here is shown publicly. The email is optional and is cleared once a moderator has
    decided, as it is only there so that a moderator can ask about the suggestion."""

    class Kind(models.TextChoices):
        NEW = "new", _("A new entry")
        CORRECTION = "correction", _("A correction")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a moderator")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("suggestion"), max_length=20, choices=Kind.choices)
    entry = models.ForeignKey(
        DirectoryEntry, verbose_name=_("entry"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="suggestions",
        help_text=_("The entry to correct; for an accepted new entry, the draft made from it."),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=EntryKind.choices, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    description = models.TextField(_("what they do or did"), max_length=3000, blank=True)
    correction = models.TextField(_("what should change"), max_length=3000, blank=True)
    sources = models.TextField(_("where it can be checked"), max_length=3000, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PENDING)
    submitted_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = EntrySuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("directory suggestion")
        verbose_name_plural = _("directory suggestions")
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        if self.kind == self.Kind.CORRECTION:
            about = self.entry.name if self.entry else _("a removed entry")
            return str(_("Correction to %(name)s")) % {"name": about}
        return str(_("New entry: %(name)s")) % {"name": self.name}

    def clean(self) -> None:
        if self.kind == self.Kind.CORRECTION and self.entry_id is None and self._state.adding:
            raise ValidationError({"entry": _("Say which entry the correction is for.")})


class SuggestionAwaitingReview(EntrySuggestion):
    """The moderation queue of suggestions, oldest first."""

    class Meta:
        proxy = True
        verbose_name = _("directory suggestion awaiting review")
        verbose_name_plural = _("directory suggestions awaiting review")


class StoryDirectoryLink(models.Model):
    """A moderator's link from a story's free text ("who did it", "where") to an entry."""

    class Role(models.TextChoices):
        TREATED_BY = "treated_by", _("Treated by")
        PLACE = "place", _("Place of treatment")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="directory_links",
                              verbose_name=_("story"))
    entry = models.ForeignKey(DirectoryEntry, on_delete=models.CASCADE,
                              related_name="story_links", verbose_name=_("directory entry"))
    role = models.CharField(_("links"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("linked"), auto_now_add=True)

    class Meta:
        ordering = ["role", "entry__name"]
        verbose_name = _("directory link")
        verbose_name_plural = _("directory links")
        constraints = [
            models.UniqueConstraint(fields=["story", "entry", "role"],
                                    name="directory_link_once_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.entry}"
