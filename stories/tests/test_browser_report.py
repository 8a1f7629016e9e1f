"""In real headless Chromium: a reader reports a published story from its page. A first try
without a reason is refused with a clear message and keeps the note; the second is stored and
thanked. Every page visited is checked with axe (WCAG 2.1 A and AA)."""

import re

import pytest
from playwright.sync_api import Page, expect

from hindsight.axe import assert_no_axe_violations
from hindsight.testing import make_story, make_treatment
from stories.models import StoryReport

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Warmer hands after Katowice"
NOTE = "It says to stop every MS medicine before the procedure. <b>Please</b> look at it."


@pytest.fixture
def story(transactional_db):
    return make_story(make_treatment(), title=TITLE)


def heading(page: Page):
    return page.get_by_role("heading", level=1)


@pytest.mark.browser
def test_a_reader_reports_a_story_and_a_moderator_has_it_to_read(live_server, page: Page, story):
    page.goto(live_server.url + story.get_absolute_url())
    expect(heading(page)).to_have_text(TITLE)
    assert_no_axe_violations(page, "story page")

    page.get_by_role("link", name="Report this story").click()
    expect(page).to_have_url(live_server.url + f"/stories/{story.slug}/report/")
    expect(heading(page)).to_have_text("Report this story")
    expect(page).to_have_title("Report this story · Hindsight")
    reasons = page.get_by_role("group", name="What is wrong with this story?")
    expect(reasons.get_by_role("radio")).to_have_count(5)
    assert_no_axe_violations(page, "report form")

    # No reason: refused, said plainly, and the note is still there.
    note = page.get_by_label("Anything a moderator should know")
    note.fill(NOTE)
    page.get_by_role("button", name="Send the report").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose what is wrong, even if it is “Something else”.")
    expect(reasons).to_have_attribute("aria-describedby", re.compile(r"\bid_reason_error\b"))
    expect(page.locator("#id_reason_error")).to_have_text(
        re.compile(r"Choose what is wrong, even if it is “Something else”\.")
    )
    expect(note).to_have_value(NOTE)
    assert_no_axe_violations(page, "report form, no reason chosen")
    assert not StoryReport.objects.exists()
    summary.get_by_role("link").click()
    expect(reasons.get_by_role("radio").first).to_be_focused()

    reasons.get_by_label("Dangerous medical advice").check()
    page.get_by_role("button", name="Send the report").click()
    expect(heading(page)).to_have_text("Thank you: a moderator will look at it")
    assert_no_axe_violations(page, "report sent")
    report = StoryReport.objects.get()
    assert (report.story_id, report.reason, report.note, report.resolved) == (
        story.pk, "danger", NOTE, False)

    page.get_by_role("link", name=f"Back to “{TITLE}”").click()
    expect(heading(page)).to_have_text(TITLE)
