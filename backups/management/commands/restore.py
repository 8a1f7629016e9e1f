import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backups.databases import BackupError
from backups.services import backup_restore, backup_verify

CONFIRMATION = "restore"


class Command(BaseCommand):
    help = (
        "Replace the live database with a backup made by `manage.py backup`, migrate it, then "
        "apply again every erasure made since the backup (from the erasure journal and the "
        "live database), so no one who left comes back. Stop the site and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file (its .json beside it).")
        parser.add_argument(
            "--yes", action="store_true",
            help="Do not ask; needed when standard input is not a terminal.",
        )

    def handle(self, *args, path: Path, yes: bool = False, **options):
        try:
            manifest = backup_verify(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not yes:
            if not sys.stdin or not sys.stdin.isatty():
                raise CommandError(
                    "Refusing to restore without --yes: nobody is at a terminal to confirm "
                    "that the live database is to be replaced. Nothing was changed."
                )
            answer = input(
                f"Every row in the {connection.vendor} database "
                f"{connection.settings_dict['NAME']} will be replaced by the backup made "
                f"{manifest.created_at:%Y-%m-%d %H:%M:%S %Z}.\n"
                f"Type '{CONFIRMATION}' to go on: "
            )
            if answer.strip() != CONFIRMATION:
                raise CommandError("Nothing was restored.")
        try:
            report = backup_restore(backup=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc

        known, replay = report.known, report.replay
        write = self.stdout.write
        write(f"Restored the {manifest.vendor} backup made {manifest.created_at.isoformat()} "
              f"({manifest.size} bytes) and migrated it.")
        if report.tables_dropped:
            write(f"Dropped {report.tables_dropped} table(s) newer than the backup; migrate "
                  "made them again, empty.")
        journal = (f"{known.in_journal} in the journal" if known.journal_found
                   else "no journal file")
        database = (f"{known.in_database} in the live database" if known.database_read
                    else "the live database could not be read")
        write(f"Erasures known: {len(known.erasures)} ({journal}; {database}).")
        if not known.journal_found and not known.database_read:
            self.stderr.write("Warning: neither an erasure journal nor the live database could "
                              "be read, so no erasure made since the backup was applied. Check "
                              "ERASURE_JOURNAL.")
        if known.unreadable_journal_lines:
            self.stderr.write(f"{known.unreadable_journal_lines} journal line(s) could not be "
                              "read and were skipped.")
        write(f"Applied again: {replay.applied} erasure(s), removing {replay.accounts} "
              f"account(s), {replay.stories} story(ies) and {replay.commenters} commenter(s); "
              f"{replay.already_in_backup} already in the backup; {replay.older_than_backup} "
              "older than the backup, left alone.")
        write(f"Rebuilt the moderation tallies of {report.stories} stories; cleared the cache.")
