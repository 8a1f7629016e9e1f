"""Search in real headless Chromium: a word from a story, typed into the header's search box,
leads to the story; the results pages pass axe (WCAG 2.1 A and AA); it all works with
JavaScript off."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from hindsight.axe import assert_no_axe_violations
from hindsight.testing import make_story, make_treatment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Snowdrops after Katowice"
BODY = "By February my fatigue had lifted, and I walked to see the snowdrops in the park."


@pytest.fixture
def stories(transactional_db):
    treatment = make_treatment()
    story = make_story(treatment, title=TITLE, body=BODY)
    make_story(treatment, title="Stent in Sofia", body="My fatigue came back after a month.",
               country="BG", result="much_worse")
    return story


def search_from_header(page: Page, word: str) -> None:
    box = page.get_by_role("search", name="Site search")
    box.get_by_label("Search").fill(word)
    box.get_by_role("button", name="Search").click()


def test_a_word_from_a_story_typed_in_the_header_leads_to_the_story(
    page: Page, live_server, stories
):
    page.goto(live_server.url + "/stories/")
    assert_no_axe_violations(page, "story list with the search box")
    search_from_header(page, "snowdrop")

    expect(page).to_have_url(re.compile(r"/search/\?q=snowdrop$"))
    expect(page.get_by_role("heading", level=2, name=re.compile("1 result for"))).to_be_visible()
    expect(page.locator(".search-result mark")).to_have_text(["Snowdrops", "snowdrops"])
    assert_no_axe_violations(page, "search results")

    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(live_server.url + stories.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_filters_no_results_and_an_empty_search_pass_axe(page: Page, live_server, stories):
    page.goto(live_server.url + "/search/")
    assert_no_axe_violations(page, "empty search")

    page.locator("#id_q").fill("fatigue")
    page.get_by_text("Narrow the results").click()
    page.get_by_label("Country treated in").select_option(label="Bulgaria")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("1 result for “fatigue”")
    expect(page.get_by_role("link", name="Stent in Sofia")).to_be_visible()
    assert_no_axe_violations(page, "filtered results")

    page.locator("#id_q").fill("zebra")
    page.get_by_role("search", name="Search stories, follow-ups and articles").get_by_role(
        "button", name="Search").click()
    expect(page.get_by_text("Nothing published has all of these words")).to_be_visible()
    assert_no_axe_violations(page, "no results")


def test_search_works_with_javascript_off(browser: Browser, live_server, stories):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    search_from_header(page, "walked snowdrops")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    context.close()
