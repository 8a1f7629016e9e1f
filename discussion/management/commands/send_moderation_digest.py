from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Q

from hindsight.lib.emails import send_templated
from moderation.selectors import moderation_queues


class Command(BaseCommand):
    help = ("Email each moderator a short summary of what waits for them (stories, edits, "
            "follow-ups, comments, reports, directory suggestions): the queues and numbers of "
            "the moderation home. Run it daily; nobody is emailed when nothing waits for them.")

    def handle(self, *args, **options):
        moderators = get_user_model().objects.filter(is_active=True).filter(
            Q(is_superuser=True) | Q(groups__permissions__codename="change_story")
            | Q(user_permissions__codename="change_story")
        ).distinct()
        sent = 0
        for moderator in moderators:
            # Each moderator hears about the queues they can open, as the home page shows them.
            waiting = [queue for queue in moderation_queues(moderator) if queue.count]
            if moderator.email and waiting:
                send_templated("moderation-digest", moderator.email, {
                    "waiting": waiting, "queue_url": settings.SITE_URL + "/moderation/",
                })
                sent += 1
        if not sent:
            self.stdout.write("Nothing waits for moderators.")
            return
        self.stdout.write(f"Digest sent to {sent} moderator(s).")
