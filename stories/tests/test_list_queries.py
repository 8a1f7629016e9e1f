"""The public list reads through its indexes, not the whole table (at 100,000 stories a scan
took 0.2 s a query; see bench/RESULTS.md)."""

import pytest
from django.db import connection

from hindsight.testing import make_story
from stories.models import Story

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'sqlite'",
                       reason="query plans are SQLite's; PostgreSQL chooses by its statistics"),
]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(row[-1] for row in cursor.fetchall())


@pytest.mark.parametrize("filters", [{}, {"country": "PL"}, {"country": "PL", "result": "better"},
                                     {"ms_type": "rr"}])
def test_the_public_list_and_its_count_search_an_index(filters):
    make_story(country="PL")
    stories = Story.objects.public().filter(**filters)

    for plan in (_plan(stories.for_list()[:20]), _plan(stories.order_by().values("pk"))):
        assert "SEARCH stories_story USING" in plan, plan
        assert "consent_publish=?" in plan, plan
        assert "SCAN stories_story" not in plan, plan


def test_a_filter_on_country_uses_the_filter_index():
    plan = _plan(Story.objects.public().filter(country="PL").order_by().values("pk"))

    assert "story_public_filters_idx (status=? AND consent_publish=? AND country=?)" in plan
