from django.core.management.base import BaseCommand

from research.models import EXPORT_KEEP_DAYS
from research.services import research_exports_prune


class Command(BaseCommand):
    help = (
        f"Delete research export files built more than {EXPORT_KEEP_DAYS} days ago and mark "
        "them expired; mark failed the exports still waiting long after they were asked for "
        "(their build was lost); delete export files no ready export names. Run daily."
    )

    def handle(self, *args, **options):
        report = research_exports_prune()
        self.stdout.write(
            f"{report.expired} expired research export(s) deleted, {report.timed_out} lost "
            f"build(s) marked failed, {report.stray_files} stray file(s) deleted."
        )
