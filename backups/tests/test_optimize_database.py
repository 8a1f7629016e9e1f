import io

import pytest
from django.core.management import call_command
from django.db import connection

from hindsight.testing import make_story

pytestmark = pytest.mark.django_db


def _planner_statistics_rows() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'stories_story'")
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'stories_story'")
        return cursor.fetchone()[0]


def test_optimize_database_gathers_the_planners_statistics():
    for _ in range(3):
        make_story()
    out = io.StringIO()

    call_command("optimize_database", stdout=out)

    assert _planner_statistics_rows() > 0
    assert "Planner statistics refreshed." in out.getvalue()
