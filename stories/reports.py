"""Readers' reports of a published story: made by anyone from the story's report page, and
marked dealt with once a moderator has acted on them."""

from stories.models import Story, StoryReport


def story_report(*, story: Story, reason: str, note: str = "") -> StoryReport:
    """Record a reader's report. The note is checked as the form checks it (length, no null
    or direction-changing characters), so a caller without the form stores nothing worse."""
    report = StoryReport(story=story, reason=reason, note=note)
    report.full_clean()
    report.save()
    return report


def story_reports_resolve(*, story: Story) -> int:
    """Mark every open report of this story dealt with; returns how many were open."""
    return StoryReport.objects.filter(story=story, resolved=False).update(resolved=True)
