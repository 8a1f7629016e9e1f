from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = ("Refresh the query planner's statistics (ANALYZE), so it chooses the right index. "
            "Run daily by the housekeeping timer and after loading data in bulk.")

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # Every row, not a sample (analysis_limit): a sample of 1,000 made the story
                # list's filter index look no better than a scan. At 100,000 stories it takes
                # a quarter of a second.
                cursor.execute("PRAGMA analysis_limit=0")
                cursor.execute("ANALYZE")
                cursor.execute("PRAGMA optimize")
            else:
                cursor.execute("ANALYZE")
        self.stdout.write("Planner statistics refreshed.")
