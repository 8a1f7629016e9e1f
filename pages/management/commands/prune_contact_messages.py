from django.core.management.base import BaseCommand

from pages.models import CONTACT_RETENTION_DAYS
from pages.services import contact_prune


class Command(BaseCommand):
    help = (
        f"Delete contact messages older than {CONTACT_RETENTION_DAYS} days (their email was "
        "never sent). Sent messages are deleted at once; run this daily in case sending fails."
    )

    def handle(self, *args, **options):
        deleted = contact_prune()
        self.stdout.write(f"{deleted} old contact message(s) deleted.")
