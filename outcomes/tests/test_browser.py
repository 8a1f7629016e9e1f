"""The outcomes page in real headless Chromium: it passes axe with every section open, its
table and its own CSV download give the same numbers, its charts load with a text alternative,
a small group's count is shown in words rather than as a number, and a phone-width screen
never scrolls sideways."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from hindsight.axe import assert_no_axe_violations
from hindsight.testing import make_treatment
from outcomes.models import OutcomesRelease
from outcomes.tests.helpers import counted_person, release_figures

pytestmark = pytest.mark.django_db(transaction=True)

OVER_TIME = "Overall result compared with before treatment, by time since treatment"
HIDDEN = "not shown (fewer than 10, or hidden to protect one)"  # SMALL_COUNT_THRESHOLD = 10
PEOPLE = 40
BETTER_AT_3 = 24
SMALL_GROUP = 3  # people with primary progressive MS: below the threshold




@pytest.fixture
def treatment(transactional_db):
    """40 counted people: 24 better at 3 months; 20 wrote again at 12 months (10 still
    better); 3 (all better, and never wrote again) have primary progressive MS, too few to
    show as a group."""
    treatment = make_treatment()
    for n in range(PEOPLE):
        followups = [(12, "little_better" if n < 10 else "no_change")] if n < 20 else []
        counted_person(treatment, better_at_3=n < BETTER_AT_3, followups=followups,
                ms_type="ppms" if 20 <= n < 20 + SMALL_GROUP else "rrms")
    release_figures()
    return treatment


def url(live_server, path: str) -> str:
    return live_server.url + path


def open_page(page: Page, live_server, treatment) -> None:
    page.goto(url(live_server, f"/outcomes/{treatment.slug}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"What people reported after {treatment.short_name}"
    )


def open_every_section(page: Page) -> None:
    """Open each closed <details> the way a reader would: by its summary."""
    closed = page.locator("details:not([open]) > summary")
    for _ in range(closed.count()):
        closed.first.click()
    expect(page.locator("details:not([open])")).to_have_count(0)


def table_cells(table: Locator) -> list[dict[str, str]]:
    """Each body row of a table as {column heading: cell text}, the row heading included."""
    headings = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    rows = []
    for row in table.locator("tbody tr").all():
        cells = [text.strip() for text in row.locator("th, td").all_inner_texts()]
        assert len(cells) == len(headings), (headings, cells)
        rows.append(dict(zip(headings, cells, strict=True)))
    return rows


def as_number(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.mark.browser
def test_the_outcomes_page_passes_axe_closed_and_with_every_section_open(
    live_server, page: Page, treatment
):
    open_page(page, live_server, treatment)
    expect(page.locator("#people-count")).to_contain_text(f"{PEOPLE} people are counted")
    assert_no_axe_violations(page, "outcomes page")

    open_every_section(page)
    assert_no_axe_violations(page, "outcomes page with every section open")


@pytest.mark.browser
def test_the_over_time_csv_downloaded_from_the_page_has_the_tables_numbers(
    live_server, page: Page, treatment
):
    open_page(page, live_server, treatment)
    table = page.get_by_role("table", name=OVER_TIME)
    expect(table).to_be_visible()
    rows = {row["Months after treatment"]: row for row in table_cells(table)}
    at_3 = rows["3"]
    assert as_number(at_3["Could have reported"]) == PEOPLE
    assert as_number(at_3["Said better"]) == BETTER_AT_3

    downloads = page.get_by_role("region", name="Download the numbers")
    link = (downloads.get_by_role("listitem").filter(has_text="Overall result over time")
            .get_by_role("link", name="CSV", exact=True))
    with page.expect_download() as info:
        link.click()
    download = info.value
    released = OutcomesRelease.objects.get().released_at
    assert download.suggested_filename == f"{treatment.slug}-over-time-{released:%Y-%m-%d}.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    csv_rows = {row["months_after_treatment"]: row for row in csv.DictReader(io.StringIO(text))}

    assert csv_rows.keys() == rows.keys()
    assert int(csv_rows["3"]["said_better"]) == as_number(at_3["Said better"])
    assert int(csv_rows["3"]["could_have_reported"]) == as_number(at_3["Could have reported"])
    # Every count agrees, row by row; a hidden count is words on the page and empty in the CSV.
    for months, row in rows.items():
        for heading, column in (("Could have reported", "could_have_reported"),
                                ("Gave a result", "reported"), ("Said better", "said_better"),
                                ("Said no change or worse", "said_not_better"),
                                ("Gave no result then", "gave_no_result")):
            shown, downloaded = row[heading], csv_rows[months][column]
            if shown == HIDDEN:
                assert downloaded == "", (months, heading)
            else:
                assert int(downloaded) == as_number(shown), (months, heading)


@pytest.mark.browser
def test_the_charts_load_and_say_what_they_show(live_server, page: Page, treatment):
    chart_responses = []

    def keep_charts(response):
        if response.url.endswith(".svg"):
            chart_responses.append(response)

    page.on("response", keep_charts)
    open_page(page, live_server, treatment)

    charts = page.locator("main figure img")
    expect(charts).to_have_count(2)
    for chart in charts.all():
        expect(chart).to_have_attribute("src", re.compile(
            rf"^/outcomes/{treatment.slug}/(better-over-time|benefit-lasting)\.svg$"))
        assert len((chart.get_attribute("alt") or "").strip()) > 20
        # Loaded and decoded: a broken image has no natural size.
        chart.evaluate("image => image.decode()")
        assert chart.evaluate("image => image.complete && image.naturalWidth > 0")
        expect(chart).to_have_accessible_name(chart.get_attribute("alt"))
    assert len(chart_responses) == 2
    assert {response.status for response in chart_responses} == {200}
    assert all(response.headers["content-type"] == "image/svg+xml"
               for response in chart_responses)


@pytest.mark.browser
def test_a_small_group_is_shown_in_words_not_as_a_number(live_server, page: Page, treatment):
    open_page(page, live_server, treatment)
    section = page.locator("details").filter(
        has=page.locator("summary", has_text="By type of MS")
    )
    table = section.get_by_role("table")
    expect(table).to_be_hidden()
    section.locator("summary").click()
    expect(table).to_be_visible()

    rows = {row["Group"]: row for row in table_cells(table)}
    assert set(rows) == {"Relapsing-remitting", "Secondary progressive", "Primary progressive",
                         "Clinically isolated syndrome", "Not sure", "Not given"}
    assert rows["Secondary progressive"]["People"] == "0"  # every type has a row, 0 or not
    assert rows["Primary progressive"]["People"] == HIDDEN
    assert rows["Primary progressive"]["Said better"] == HIDDEN
    # 37 is big enough, but shown it would give the 3 away (40 − 37).
    assert rows["Relapsing-remitting"]["People"] == HIDDEN
    for row in rows.values():
        for heading, cell in row.items():
            assert cell not in (str(SMALL_GROUP), str(PEOPLE - SMALL_GROUP)), (heading, cell)
    assert_no_axe_violations(page, "outcomes page with the MS types open")


@pytest.mark.browser
def test_at_phone_width_the_page_never_scrolls_sideways(live_server, page: Page, treatment):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, live_server, treatment)
    no_sideways_scroll = "() => document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate("() => window.innerWidth") == 390
    assert page.evaluate(no_sideways_scroll), page.evaluate(
        "() => document.documentElement.scrollWidth"
    )

    open_every_section(page)
    assert page.evaluate(no_sideways_scroll), page.evaluate(
        "() => document.documentElement.scrollWidth"
    )
    # A table may be wider than the screen only inside its own scrolling box.
    escaping = page.evaluate("""() => [...document.querySelectorAll('main table')]
        .filter(table => !table.closest('.table-scroll'))
        .filter(table => table.getBoundingClientRect().right > window.innerWidth)
        .map(table => table.caption ? table.caption.textContent : table.outerHTML.slice(0, 80))""")
    assert escaping == []
    assert_no_axe_violations(page, "outcomes page at 390px with every section open")
