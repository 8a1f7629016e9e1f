from django.core.management.base import BaseCommand

from outcomes.models import OutcomesRelease
from outcomes.releases import release_outcomes


class Command(BaseCommand):
    help = ("Release the published figures (outcomes pages, downloads, moderation panels, "
            "directory results) as of now, if at least the small-count threshold of people's "
            "reports changed since the last release; otherwise say why not and change nothing. "
            "Run weekly by deploy/systemd/hindsight-release.timer.")

    def add_arguments(self, parser):
        parser.add_argument("--trigger", choices=OutcomesRelease.Trigger.values,
                            default=OutcomesRelease.Trigger.COMMAND,
                            help="What asked for the release (recorded with it).")

    def handle(self, *args, trigger, **options):
        decision = release_outcomes(trigger)
        self.stdout.write(decision.message)
