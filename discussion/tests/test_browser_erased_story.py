"""In real headless Chromium (issue 13): an author erases a story that readers commented on.
The erase page says the comments go with it; afterwards no address that showed their words
(the story page, each report page, the reply form) shows them, and moderators find none of
them, published or otherwise."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.services import author_for_email
from accounts.tests.test_browser_author import sign_in_author
from discussion import services
from discussion.models import Comment, CommentReport
from hindsight.axe import assert_no_axe_violations
from hindsight.browser import sign_in_as_moderator
from hindsight.testing import give_authenticator, make_moderator, make_story
from stories.models import Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "anna@example.com"
TITLE = "Warm hands, then the long winter"
WORDS = {
    "first": "Did the numbness in your feet come back by spring?",
    "reply": "Mine came back after eight months, slowly.",
    "held": "Which clinic was it, and how long was the wait?",
}


def _comment(story: Story, moderator, *, name: str, email: str, body: str,
             parent: Comment | None = None, approve: bool = True) -> Comment:
    comment = services.comment_submit(
        target=story, parent=parent, name=name, email=email, body=body,
        seconds_to_write=60, browser_confirmed=False,
    )
    services.commenter_confirm(commenter=comment.commenter)
    if approve:
        services.comment_approve(comment=comment, moderator=moderator)
    comment.refresh_from_db()
    return comment


def _main(page: Page):
    return page.get_by_role("main")


def test_erasing_a_story_erases_every_address_that_showed_its_comments(
    live_server, browser: Browser, page: Page, settings
):
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed at the end of its 30 s still counts
    author = author_for_email(EMAIL)
    story = make_story(author=author, email=EMAIL, email_confirmed_at=timezone.now(),
                       title=TITLE)
    moderator = make_moderator()
    secret = give_authenticator(moderator)
    first = _comment(story, moderator, name="Jo", email="jo@example.org", body=WORDS["first"])
    reply = _comment(story, moderator, name="Sam", email="sam@example.org",
                     body=WORDS["reply"], parent=first)
    _comment(story, moderator, name="Lee", email="lee@example.org", body=WORDS["held"],
             approve=False)
    services.comment_report(comment=reply, reason="danger", note="Reads like advice")
    story_url = live_server.url + story.get_absolute_url()
    showed_text = {
        "story page": (story_url, [WORDS["first"], WORDS["reply"]]),
        "report page of the comment": (
            live_server.url + reverse("discussion:report", args=[first.pk]), [WORDS["first"]]),
        "report page of the reported reply": (
            live_server.url + reverse("discussion:report", args=[reply.pk]), [WORDS["reply"]]),
        "reply form": (
            live_server.url + reverse("discussion:write", args=["story", story.pk])
            + f"?reply_to={first.pk}", ["Replying to Jo"]),
    }

    # A reader sees the comments where they are shown.
    reader = browser.new_context().new_page()
    for name, (address, texts) in showed_text.items():
        response = reader.goto(address)
        assert response is not None and response.status == 200, name
        for text in texts:
            expect(_main(reader)).to_contain_text(text)

    # The author signs in with an emailed code and erases the story; the page says first
    # what happens to the comments.
    sign_in_author(page, live_server, EMAIL)
    page.goto(live_server.url + reverse("accounts:story-erase", args=[story.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase this story completely?")
    expect(_main(page)).to_contain_text("The 3 comments readers wrote on it are erased with it.")
    assert_no_axe_violations(page, "erase a story that has comments")
    page.get_by_role("button", name="Yes, erase this story").click()
    expect(page.get_by_role("status")).to_have_text(
        f"“{TITLE}” and everything with it has been erased."
    )

    # Every address that showed the words now answers "not found", without them. A reader
    # arriving now (the first reader's browser may keep the public story page for a minute,
    # as a front cache would).
    later = browser.new_context().new_page()
    for name, (address, texts) in showed_text.items():
        response = later.goto(address)
        assert response is not None and response.status in (404, 410), (name, response.status)
        expect(later.get_by_role("heading", level=1)).to_have_text("Page not found")
        for text in [*texts, *WORDS.values()]:
            expect(later.locator("body")).not_to_contain_text(text)
    # The report pages are never kept by a browser: the first reader gets the same answer.
    response = reader.goto(showed_text["report page of the reported reply"][0])
    assert response is not None and response.status == 404
    expect(reader.locator("body")).not_to_contain_text(WORDS["reply"])

    # A moderator finds none of them in the comments list: not published, not at all.
    moderator_page = browser.new_context().new_page()
    sign_in_as_moderator(moderator_page, live_server.url, moderator, secret)
    moderator_page.goto(live_server.url + "/moderation/discussion/comment/")
    expect(moderator_page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("comment", re.IGNORECASE)
    )
    expect(moderator_page.locator("#changelist")).to_contain_text("0 comments")
    expect(moderator_page.locator("#result_list")).to_have_count(0)
    for text in WORDS.values():
        expect(moderator_page.locator("body")).not_to_contain_text(text[:40])
    assert not Comment.objects.exists() and not CommentReport.objects.exists()
