from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hindsight.lib.markdown import body_changes_on_save, render_author_markdown
from stories.choices import (
    SERIOUS_COMPLICATIONS,
    Complication,
    Result,
    SymptomChange,
    choice_labels,
    symptom_rows,
)
from stories.models import Story


class YesNoUnsure(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("Not sure")


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def published(self) -> "FollowUpQuerySet":
        return self.filter(status=FollowUp.Status.APPROVED)


class FollowUp(models.Model):
    """What happened next: one report, at a point in time after treatment, on the same scales
    as the story so the two can be read side by side."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a moderator")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="followups")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reported_on = models.DateField(_("reported on"))
    result = models.CharField(
        _("compared with before treatment"), max_length=20, choices=Result.choices
    )
    symptoms = models.JSONField(_("symptoms"), default=dict, blank=True)
    relapses_since_last = models.PositiveSmallIntegerField(
        _("relapses since the last report"), null=True, blank=True
    )
    new_complications = models.JSONField(_("new complications"), default=list, blank=True)
    restenosis = models.CharField(
        _("told the vein narrowed again"), max_length=10, choices=YesNoUnsure.choices, blank=True
    )
    repeat_procedure = models.CharField(
        _("had a repeat procedure"), max_length=10, choices=YesNoUnsure.choices, blank=True
    )
    started_dmt = models.CharField(
        _("started a disease-modifying therapy"), max_length=10, choices=YesNoUnsure.choices,
        blank=True,
    )
    body = models.TextField(_("update in your own words"), max_length=10000, blank=True)
    body_html = models.TextField(editable=False, default="")
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["reported_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["story", "status", "reported_on"])]

    def __str__(self) -> str:
        return f"{self.story} · {self.reported_on}"

    def save(self, *args, **kwargs) -> None:
        if body_changes_on_save(kwargs, {"body_html"}):
            self.body_html = render_author_markdown(self.body)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if not self.reported_on:
            return
        if self.reported_on > timezone.localdate():
            raise ValidationError({"reported_on": _("This date is in the future.")})
        if self.story_id and self.reported_on < (
            self.story.earliest_treatment_day() or self.reported_on
        ):
            raise ValidationError({"reported_on": _(
                "This date is before the treatment (%(when)s)."
            ) % {"when": self.story.treated_on_display()}})

    def months_after_treatment(self) -> int | None:
        """Whole months from the treatment month to the report, when the story has a date."""
        treated = self.story.earliest_treatment_day()
        if treated is None:
            return None
        day = self.reported_on
        months = (day.year - treated.year) * 12 + day.month - treated.month
        return max(months, 0)

    def symptom_changes(self) -> list[tuple[str, str, str]]:
        return symptom_rows(self.symptoms, SymptomChange)

    def complication_labels(self) -> list[str]:
        return choice_labels(self.new_complications, Complication)

    @property
    def reports_serious_complication(self) -> bool:
        return bool(SERIOUS_COMPLICATIONS & set(self.new_complications))


# Months after treatment at which an author who asked for reminders is asked how they are;
# after the last one, once a year.
REMINDER_MILESTONES = (3, 6, 12, 24)


def reminder_milestone_due(months_since_treatment: int) -> int | None:
    """The latest milestone reached after this many months, or None before the first."""
    if months_since_treatment < REMINDER_MILESTONES[0]:
        return None
    last = REMINDER_MILESTONES[-1]
    if months_since_treatment >= last:
        return last + 12 * ((months_since_treatment - last) // 12)
    return max(m for m in REMINDER_MILESTONES if m <= months_since_treatment)


class ReminderSent(models.Model):
    """One reminder, sent once: the unique pair makes a second run of the command a no-op."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="reminders_sent")
    milestone_months = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "milestone_months"],
                                    name="one_reminder_per_milestone"),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} · {self.milestone_months} months"


class SymptomSeverity(models.TextChoices):
    NONE = "none", _("Not at all")
    MILD = "mild", _("A little")
    MODERATE = "moderate", _("Quite a lot")
    SEVERE = "severe", _("Very much")


class Expectation(models.TextChoices):
    MUCH_BETTER = "much_better", _("Much better")
    LITTLE_BETTER = "little_better", _("A little better")
    NO_CHANGE = "no_change", _("No change")
    UNSURE = "unsure", _("I don't know")


class Baseline(models.Model):
    """How someone was before treatment, recorded before it happened. Reports that start
    before treatment are the ones that can show change honestly, without hindsight."""

    story = models.OneToOneField(Story, on_delete=models.CASCADE, related_name="baseline")
    recorded_on = models.DateField(_("recorded on"))
    symptoms = models.JSONField(_("how much each symptom affects you"), default=dict, blank=True)
    relapses_last_year = models.PositiveSmallIntegerField(
        _("relapses in the last 12 months"), null=True, blank=True
    )
    expectation = models.CharField(
        _("what you expect the treatment to do"), max_length=20, choices=Expectation.choices,
        blank=True,
    )
    expectation_notes = models.TextField(
        _("your hopes and worries, for yourself"), max_length=5000, blank=True,
        help_text=_("Private: only you see this, and it is in your data download."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("before-treatment baseline")
        verbose_name_plural = _("before-treatment baselines")

    def __str__(self) -> str:
        return f"{self.story} · {self.recorded_on}"

    def symptom_severities(self) -> list[tuple[str, str, str]]:
        return symptom_rows(self.symptoms, SymptomSeverity)
