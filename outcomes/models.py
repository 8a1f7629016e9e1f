from django.db import models

from stories.models import Story
from treatments.models import Treatment


class CountedPerson(models.Model):
    """What the statistics need from one counted story and its follow-ups, worked out once.

    Derived data: rebuilt from the story whenever it or a follow-up changes (see people.py),
    and deleted with the story, so the outcomes page aggregates one narrow row per person
    instead of re-reading every report. Nothing here is shown to anyone as it is.
    """

    story = models.OneToOneField(Story, on_delete=models.CASCADE, primary_key=True,
                                 related_name="+")
    treatment = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="+")
    treated_on = models.DateField()
    treatment_year = models.PositiveSmallIntegerField()
    ms_type = models.CharField(max_length=10, blank=True)
    procedure_kind = models.CharField(max_length=10, blank=True)
    country = models.CharField(max_length=2, blank=True)
    complications = models.CharField(max_length=200, blank=True)  # codes, comma-separated
    treated_again = models.BooleanField(default=False)
    # "better", "not_better" or "" (no result in the window) at 3, 6, 12 and 24 months.
    at_3 = models.CharField(max_length=10, blank=True)
    at_6 = models.CharField(max_length=10, blank=True)
    at_12 = models.CharField(max_length=10, blank=True)
    at_24 = models.CharField(max_length=10, blank=True)
    # "symptom=change,…" (better, same or worse only) from the report used at each point.
    symptoms_3 = models.TextField(blank=True)
    symptoms_6 = models.TextField(blank=True)
    symptoms_12 = models.TextField(blank=True)
    symptoms_24 = models.TextField(blank=True)
    latest = models.CharField(max_length=10, blank=True)  # the latest better / not_better
    benefit_months = models.FloatField(null=True)
    benefit_ended = models.BooleanField(default=False)
    relapse_months = models.FloatField(null=True)
    relapsed = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["treatment"])]

    def __str__(self) -> str:
        return f"Counted person for story {self.story_id}"


class ModerationTally(models.Model):
    """How many of one story's reports stand at each status and result: one row for the story
    itself (count 1), one per status and result among its follow-ups.

    Derived data, like `CountedPerson`: rebuilt whenever the story or a follow-up is saved or
    deleted (see tallies.py) and deleted with the story. The moderation panels sum these rows
    from one index instead of reading every story and joining every follow-up to its story.
    """

    class Kind(models.TextChoices):
        STORY = "story"
        FOLLOWUP = "followup"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    # Not indexed on its own: the panel index below starts with it.
    treatment = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="+",
                                  db_index=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=20)
    result = models.CharField(max_length=20, blank=True)
    reports = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # Holds every column the panels read, so both panels are read from it alone.
            models.Index(fields=["treatment", "kind", "status", "result", "reports"],
                         name="outcomes_tally_panel_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.story_id}: {self.status} {self.result} × {self.reports}"
