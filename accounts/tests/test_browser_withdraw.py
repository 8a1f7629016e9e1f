"""In real headless Chromium: an author withdraws a published story. The question page says
what withdrawing means; "No" changes nothing; "Yes" takes the story down, and the author's
page then offers only what still applies. Every page visited is checked with axe."""

import pytest
from playwright.sync_api import Page, expect

from accounts.services import author_for_email
from accounts.tests.test_browser_author import (
    heading,
    open_story_from_your_stories,
    sign_in_author,
    url,
)
from hindsight.axe import assert_no_axe_violations
from hindsight.testing import make_story
from stories.models import Story

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "anna@example.com"
TITLE = "Warmer hands after Katowice"


@pytest.fixture
def author(transactional_db):
    return author_for_email(EMAIL)


def consent_section(page: Page):
    return page.get_by_role("region", name="Your consent")


@pytest.mark.browser
def test_an_author_reads_what_withdrawing_means_says_no_then_yes(
    live_server, page: Page, author
):
    story = make_story(author=author, title=TITLE)
    public_url = url(live_server, story.get_absolute_url())
    withdraw_path = f"/my/stories/{story.pk}/withdraw/"
    sign_in_author(page, live_server)
    open_story_from_your_stories(page, TITLE)
    expect(consent_section(page).get_by_role("button", name="Stop publishing it")).to_be_visible()

    # The question, in plain words.
    page.get_by_role("link", name="Withdraw it from public view").click()
    expect(page).to_have_url(url(live_server, withdraw_path))
    expect(heading(page)).to_have_text(f"Withdraw “{TITLE}”?")
    main = page.get_by_role("main")
    for sentence in (
        "The story leaves the site: its page, and its place in the list of stories and in "
        "search.",
        "It leaves the public figures when they next change (they change only once enough other "
        "people's reports have changed too, which can take weeks).",
        "Your follow-ups stop being shown.",
        "Comments on it are hidden with it.",
        "Nothing is deleted.",
        "You can send it back for review later. A moderator then reads it again before anyone "
        "else can see it.",
    ):
        expect(main).to_contain_text(sentence)
    expect(main.get_by_role("link", name="erase it instead")).to_have_attribute(
        "href", f"/my/stories/{story.pk}/erase/"
    )
    assert_no_axe_violations(page, "withdraw: the question")

    # No: back to the story's page, nothing changed.
    page.get_by_role("link", name="No, keep it published").click()
    expect(heading(page)).to_have_text(TITLE)
    expect(main).to_contain_text("Status: Published")
    assert Story.objects.get(pk=story.pk).status == Story.Status.APPROVED
    response = page.goto(public_url)
    assert response is not None and response.status == 200

    # Yes: withdrawn at once.
    page.goto(url(live_server, withdraw_path))
    page.get_by_role("button", name="Yes, withdraw it").click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_have_text(f"“{TITLE}” is no longer shown to anyone.")
    assert Story.objects.get(pk=story.pk).status == Story.Status.WITHDRAWN

    # Only what still applies is offered.
    consent = consent_section(page)
    expect(consent.get_by_role("button")).to_have_count(0)
    expect(consent).to_contain_text(
        "These choices apply again if you send it back and a moderator approves it"
    )
    expect(page.get_by_role("button", name="Stop publishing it")).to_have_count(0)
    expect(page.get_by_role("link", name="Withdraw it from public view")).to_have_count(0)
    expect(page.get_by_role("button", name="Send it back to a moderator to publish again")
           ).to_be_visible()
    expect(page.get_by_role("link", name="Erase this story completely")).to_be_visible()
    assert_no_axe_violations(page, "story management page, withdrawn")

    response = page.goto(public_url)
    assert response is not None and response.status == 404
