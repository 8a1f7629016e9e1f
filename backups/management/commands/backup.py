from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.databases import BackupError
from backups.services import backup_create


class Command(BaseCommand):
    help = (
        "Make a consistent copy of the live database while the site runs (SQLite's backup "
        "API, or pg_dump for PostgreSQL), with a manifest beside it (<copy>.json), and print "
        "the copy's path. The copy holds personal data: it is readable by this user only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path,
            help="A new file to write, or a folder for a UTC-stamped name (default: "
                 "BACKUP_DIR, var/backups/).",
        )

    def handle(self, *args, output: Path | None = None, **options):
        try:
            path = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
