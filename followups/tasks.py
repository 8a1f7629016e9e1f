from django.conf import settings
from django.urls import reverse
from django_tasks import task

from followups.reminders import follow_up_token, stop_token
from hindsight.lib.emails import send_templated
from stories.models import Story


@task()
def send_reminder_email(story_id: int, milestone: int) -> None:
    story = Story.objects.filter(pk=story_id, reminders_enabled=True).first()
    if story is None:
        return  # erased, or reminders stopped since the reminder was queued
    stop_url = settings.SITE_URL + reverse("reminders:stop", args=[stop_token(story)])
    send_templated(
        "reminder",
        story.email,
        {
            "story": story,
            "milestone": milestone,
            "follow_up_url": settings.SITE_URL
            + reverse("reminders:follow-up", args=[follow_up_token(story)]),
            "stop_url": stop_url,
        },
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
