from django.db import models

from stories.models import Story
from treatments.models import Treatment


class ModerationTally(models.Model):
    """How many of one story's reports stand at each status and result: one row for the story
    itself (count 1), one per status and result among its follow-ups.

    Derived data: rebuilt whenever the story or a follow-up is saved or
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
    # Shown to anyone already: an approved story with consent to publish, or an approved
    # follow-up of one. The rest is the protected part of each count (docs/disclosure.md).
    public = models.BooleanField(default=False)
    reports = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # Holds every column the panels read, so both panels are read from it alone.
            models.Index(fields=["treatment", "kind", "status", "result", "public", "reports"],
                         name="outcomes_tally_panel_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.story_id}: {self.status} {self.result} × {self.reports}"
