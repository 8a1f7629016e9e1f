"""Reading a series in real headless Chromium: from the series page into part 1, forwards with
"Next" to the last part, back with "Previous", and back to the series; each page passes axe."""

import re

import pytest
from playwright.sync_api import Page, expect

from articles.content import ARTICLES, SERIES
from articles.models import Article, Series
from hindsight.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def series(transactional_db):
    series = Series.objects.create(**SERIES)
    for article in ARTICLES:
        Article.objects.create(**article, series=series, status=Article.Status.PUBLISHED)
    return series


def _heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_a_reader_goes_through_a_series_forwards_and_back(page: Page, live_server, series):
    titles = [article["title"] for article in sorted(ARTICLES,
                                                     key=lambda a: a["order_in_series"])]
    page.goto(live_server.url + series.get_absolute_url())
    assert_no_axe_violations(page, "series page")
    page.get_by_role("link", name=titles[0]).click()

    for index, title in enumerate(titles):
        expect(_heading(page)).to_have_text(title)
        nav = page.get_by_role("navigation", name="In this series")
        expect(nav.get_by_role("link", name=re.compile("^Previous"))).to_have_count(
            0 if index == 0 else 1
        )
        if index < len(titles) - 1:
            assert_no_axe_violations(page, f"part {index + 1}")
            nav.get_by_role("link", name=f"Next: {titles[index + 1]}").click()
    expect(page.get_by_role("navigation", name="In this series").get_by_role(
        "link", name=re.compile("^Next"))).to_have_count(0)

    for title in reversed(titles[:-1]):
        page.get_by_role("navigation", name="In this series").get_by_role(
            "link", name=f"Previous: {title}").click()
        expect(_heading(page)).to_have_text(title)

    page.get_by_role("link", name=re.compile("^Back to the series")).click()
    expect(_heading(page)).to_have_text(SERIES["title"])
