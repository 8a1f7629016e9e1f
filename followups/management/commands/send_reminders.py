from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from followups.reminders import claim_reminder, reminders_due
from followups.tasks import send_reminder_email


class Command(BaseCommand):
    help = (
        "Queue the 'how are you now?' emails that are due (3, 6, 12 and 24 months after "
        "treatment, then yearly) for authors who asked for them. Safe to run as often as you "
        "like: each reminder is sent once. Run it daily from cron or a systemd timer."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        queued = 0
        for story, milestone in reminders_due(today):
            # The claim and the queued email commit together: a crash loses neither alone.
            with transaction.atomic():
                if claim_reminder(story, milestone):
                    send_reminder_email.enqueue(story.pk, milestone)
                    queued += 1
        self.stdout.write(f"{queued} reminder(s) queued.")
