from django.core.management.base import BaseCommand

from outcomes.tallies import rebuild_moderation_tallies


class Command(BaseCommand):
    help = ("Rebuild the moderation tallies behind the outcomes pages from the stories and "
            "follow-ups (after a bulk load or a restore). The published figures change only "
            "with the next release (release_outcomes).")

    def handle(self, *args, **options):
        stories = rebuild_moderation_tallies()
        self.stdout.write(f"Moderation tallies rebuilt for {stories} stories.")
