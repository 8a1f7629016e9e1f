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


class OutcomesRelease(models.Model):
    """One dated release of every published number: the outcomes pages, their downloads and
    charts, the moderation panels and the directory's results all read the latest release
    (releases.py), never the live data, so what a reader sees changes only when a release is
    made, and then for at least the threshold of people at once (docs/disclosure.md)."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "schedule"
        MODERATOR = "moderator", "moderator"
        DEMO = "demo", "demo data loaded"
        COMMAND = "command", "manage.py (the weekly timer, or by hand)"

    # 1, 2, 3…: unique, so two releases made at once cannot both follow the same one.
    number = models.PositiveIntegerField(unique=True)
    released_at = models.DateTimeField()
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    # Bumped when the stored figures change shape; a release of another format is not read.
    format = models.PositiveSmallIntegerField()
    people = models.PositiveIntegerField()  # people with a confirmed story, per treatment
    people_changed = models.PositiveIntegerField()  # on the pages updated, since computed last
    pages_updated = models.PositiveIntegerField(default=0)
    pages_kept = models.PositiveIntegerField(default=0)  # fewer than the threshold changed
    # For each page, each of its people's keyed digest of what its figures read of them, with
    # their story ids (zlib-compressed JSON; no address, no words). Kept on the latest release
    # only: the next release compares against it to count who changed on each page.
    digests = models.BinaryField(blank=True, editable=False)

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        permissions = [("release_figures", "Can release the figures now")]

    def __str__(self) -> str:
        return f"Figures as of {self.released_at:%Y-%m-%d %H:%M}"


class ReleasedFigures(models.Model):
    """The figures of one page in a release: `key` is 'treatment:<id>' (its summary and
    moderation panels) or 'entry:<id>' (a directory entry's results); `payload` is pickled
    (the database is trusted, as Django's database cache trusts it)."""

    release = models.ForeignKey(OutcomesRelease, on_delete=models.CASCADE,
                                related_name="figures")
    key = models.CharField(max_length=40)
    payload = models.BinaryField()
    # When these figures were computed: a page kept in a later release keeps its date.
    computed_in = models.PositiveIntegerField(default=0)  # the number of that release
    as_of = models.DateTimeField(null=True)
    # False for a page that has gone (an entry unpublished or no longer linked): its figures
    # are kept, unseen, so that if it comes back it is gated against what it last showed.
    shown = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["release", "key"],
                                               name="outcomes_figures_one_per_key")]

    def __str__(self) -> str:
        return f"{self.key} in release {self.release_id}"
