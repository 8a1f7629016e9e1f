from django.core.management.base import BaseCommand
from django.db import connection

# Rows sampled per index: enough for the planner to choose well, bounded on a large database.
SQLITE_ANALYSIS_LIMIT = 1000


class Command(BaseCommand):
    help = ("Refresh the query planner's statistics (ANALYZE), so it chooses the right index. "
            "Run daily by the housekeeping timer and after loading data in bulk.")

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
                cursor.execute("ANALYZE")
                cursor.execute("PRAGMA optimize")
            else:
                cursor.execute("ANALYZE")
        self.stdout.write("Planner statistics refreshed.")
