from django.core.management.base import BaseCommand

from outcomes.cache import forget_all_summaries
from outcomes.people import rebuild_counted_people


class Command(BaseCommand):
    help = ("Rebuild the per-person rows and the moderation tallies behind the outcomes pages "
            "from the stories and follow-ups (after a bulk load or a restore), and clear the "
            "cached numbers (the worker computes them again).")

    def handle(self, *args, **options):
        people = rebuild_counted_people()
        forget_all_summaries()
        self.stdout.write(f"{people} counted people.")
