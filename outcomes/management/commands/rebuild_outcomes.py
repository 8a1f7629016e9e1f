from django.core.management.base import BaseCommand

from outcomes.cache import forget_all_summaries
from outcomes.tallies import rebuild_moderation_tallies


class Command(BaseCommand):
    help = ("Rebuild the moderation tallies behind the outcomes pages from the stories and "
            "follow-ups (after a bulk load or a restore), and clear the cached numbers (the "
            "worker computes them again).")

    def handle(self, *args, **options):
        stories = rebuild_moderation_tallies()
        forget_all_summaries()
        self.stdout.write(f"Moderation tallies rebuilt for {stories} stories.")
