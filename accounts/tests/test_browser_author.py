"""End-to-end tests in real headless Chromium of an author's own pages: signing in with a code
sent by email, adding a follow-up, editing a published story, withdrawing and erasing. Where a
moderator has to act, they sign in (password and authenticator code) in a browser of their own
and approve in the admin. Every page visited is checked with axe (WCAG 2.1 A and AA)."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.services import author_for_email
from followups.models import FollowUp
from hindsight.axe import assert_no_axe_violations
from hindsight.browser import sign_in_as_moderator
from hindsight.testing import give_authenticator, make_moderator, make_story
from stories.models import Story, StoryRevision

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "anna@example.com"
PASSWORD = "a-long-test-password-1"
TITLE = "Warmer hands after Katowice"


@pytest.fixture
def author(transactional_db):
    return author_for_email(EMAIL)


@pytest.fixture
def moderator(transactional_db):
    return make_moderator()


@pytest.fixture
def totp_secret(moderator, settings):
    # Accept the code of the neighbouring 30-second step too, so a step that ends between
    # computing the code and the server checking it cannot make the test fail.
    settings.MFA_TOTP_TOLERANCE = 1
    return give_authenticator(moderator)


@pytest.fixture
def moderator_page(new_context) -> Page:
    """A second browser (its own cookies) for the moderator, beside the author's `page`."""
    return new_context().new_page()


def url(live_server, path: str) -> str:
    return live_server.url + path


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def sign_in_code(email: str) -> str:
    """The code from the last sign-in email sent to this address."""
    sent = [m for m in mail.outbox if m.to == [email]]
    assert sent, f"no email was sent to {email}"
    match = re.search(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", sent[-1].body, re.MULTILINE)
    assert match, sent[-1].body
    return match.group(1)


def main_text(page: Page) -> str:
    return " ".join(page.get_by_role("main").inner_text().split())


def request_code(page: Page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Email me a sign-in code").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/confirm/"))
    expect(heading(page)).to_have_text("Enter your sign-in code")


def sign_in_author(page: Page, live_server, email: str = EMAIL) -> None:
    """Through the pages, as an author does: the header link, the address, the emailed code."""
    page.goto(url(live_server, "/"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your stories").click()
    expect(heading(page)).to_have_text("Sign in to your stories")
    request_code(page, email)
    page.get_by_label("Code").fill(sign_in_code(email))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(url(live_server, "/my/"))
    expect(heading(page)).to_have_text("Your stories")


def sign_in_moderator(page: Page, live_server, moderator, secret: str) -> None:
    sign_in_as_moderator(page, live_server.url, moderator, secret)


def run_admin_action(page: Page, row_name: str, action: str) -> None:
    """Tick the one row and run an action from the changelist's action bar."""
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=row_name))
    expect(row).to_have_count(1)
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name=re.compile(r"^Action")).select_option(label=action)
    page.get_by_role("button", name="Go", exact=True).click()


def story_card(page: Page, title: str):
    return page.get_by_role("main").locator(".story-card").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )


def open_story_from_your_stories(page: Page, title: str) -> None:
    page.get_by_role("main").get_by_role("link", name=title, exact=True).click()
    expect(heading(page)).to_have_text(title)
    expect(page).to_have_title(f"{title} · Your stories · Hindsight")


@pytest.mark.browser
def test_an_author_signs_in_with_a_code_from_their_email_and_sees_their_stories(
    live_server, page: Page, author
):
    published = make_story(author=author, title=TITLE)
    waiting = make_story(author=author, title="Still waiting", status=Story.Status.PENDING)
    make_story(title="Someone else's story", email="bea@example.com")

    page.goto(url(live_server, "/"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your stories").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/\?next=/my/$"))
    expect(heading(page)).to_have_text("Sign in to your stories")
    assert_no_axe_violations(page, "sign-in: ask for a code")

    # An address that has shared nothing gets the same page, and no code.
    request_code(page, "nobody@example.com")
    expect(page.get_by_role("status")).to_have_text(
        "A sign-in code has been sent to nobody@example.com."
    )
    assert_no_axe_violations(page, "sign-in: enter the code (unknown address)")
    unknown_text = main_text(page)
    assert not any("sign-in code is listed below" in m.body for m in mail.outbox
                   if m.to == ["nobody@example.com"])

    page.get_by_role("button", name="Start again with another address").click()
    expect(heading(page)).to_have_text("Sign in to your stories")
    request_code(page, EMAIL)
    assert main_text(page) == unknown_text.replace("nobody@example.com", EMAIL)
    assert_no_axe_violations(page, "sign-in: enter the code")
    code = sign_in_code(EMAIL)

    # A wrong code is refused, and says so.
    page.get_by_label("Code").fill("WRONG-CODE")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page, "sign-in: wrong code")

    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text("Your stories")
    expect(page).to_have_title("Your stories · Hindsight")
    cards = page.get_by_role("main").locator(".story-card")
    expect(cards).to_have_count(2)
    expect(story_card(page, published.title)).to_contain_text("Status: Published")
    expect(story_card(page, waiting.title)).to_contain_text("Status: Waiting for a moderator")
    expect(page.get_by_role("link", name="Someone else's story")).to_have_count(0)
    assert_no_axe_violations(page, "your stories")


@pytest.mark.browser
def test_a_follow_up_goes_through_a_moderator_onto_the_public_timeline(
    live_server, page: Page, moderator_page: Page, author, moderator, totp_secret
):
    story = make_story(author=author, title=TITLE)  # treated in March 2011
    sign_in_author(page, live_server)

    story_card(page, TITLE).get_by_role("link", name="Add a follow-up: how are you now?").click()
    expect(page).to_have_url(url(live_server, f"/my/stories/{story.pk}/follow-up/"))
    expect(heading(page)).to_have_text("How are you now?")
    expect(page.get_by_label("Which day does this report describe?")).to_have_value(
        timezone.localdate().isoformat()
    )
    assert_no_axe_violations(page, "follow-up form")

    # A day in the future is refused; what was typed stays.
    future = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("Which day does this report describe?").fill(future.isoformat())
    result = page.get_by_role("group", name="Compared with before treatment, you are now:")
    result.get_by_label("Much better").check()
    page.get_by_role("group", name="Fatigue").get_by_label("Better", exact=True).check()
    page.get_by_role("button", name="Send my follow-up").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("This date is in the future.")
    date_field = page.get_by_label("Which day does this report describe?")
    expect(date_field).to_have_attribute("aria-invalid", "true")
    expect(result.get_by_label("Much better")).to_be_checked()
    expect(page.get_by_role("group", name="Fatigue").get_by_label("Better", exact=True)
           ).to_be_checked()
    assert_no_axe_violations(page, "follow-up form with errors")
    summary.get_by_role("link").first.click()
    expect(date_field).to_be_focused()
    assert not FollowUp.objects.exists()

    date_field.fill("2011-09-15")
    page.get_by_role("button", name="Send my follow-up").click()
    expect(heading(page)).to_have_text("Thank you: your follow-up is saved")
    expect(page.get_by_text("Please get medical care now")).to_have_count(0)
    assert_no_axe_violations(page, "follow-up sent")
    page.get_by_role("link", name="Back to your story").click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("region", name="What happened next")).to_contain_text(
        "15 September 2011: Much better (waiting for a moderator)"
    )
    assert_no_axe_violations(page, "story management page")

    # Nothing shows publicly until a moderator approves it.
    page.goto(url(live_server, story.get_absolute_url()))
    expect(page.get_by_role("region", name="What happened next")).to_have_count(0)

    sign_in_moderator(moderator_page, live_server, moderator, totp_secret)
    moderator_page.locator("#followups-followup").get_by_role("link", name="Follow-ups").click()
    expect(heading(moderator_page)).to_have_text("Select follow-up to change")
    assert_no_axe_violations(moderator_page, "follow-ups in the admin")
    run_admin_action(moderator_page, TITLE, "Approve the selected follow-ups")
    expect(moderator_page.get_by_text("Approved 1 follow-up.")).to_be_visible()
    assert_no_axe_violations(moderator_page, "follow-ups after approval")
    assert FollowUp.objects.get().status == FollowUp.Status.APPROVED

    page.reload()
    timeline = page.get_by_role("region", name="What happened next").locator("ol.timeline > li")
    expect(timeline).to_have_count(2)  # the story's own report, then the follow-up
    expect(timeline.last.get_by_role("heading")).to_have_text("6 months after treatment")
    expect(timeline.last).to_contain_text("Much better · Fatigue: better")
    assert_no_axe_violations(page, "story page with a follow-up")


@pytest.mark.browser
def test_a_follow_up_reporting_a_clot_asks_the_author_to_get_medical_care(
    live_server, page: Page, author
):
    story = make_story(author=author, title=TITLE)
    sign_in_author(page, live_server)
    page.goto(url(live_server, f"/my/stories/{story.pk}/follow-up/"))
    page.get_by_role("group", name="Compared with before treatment, you are now:").get_by_label(
        "A little worse"
    ).check()
    page.get_by_label("A clot in the vein").check()
    page.get_by_role("button", name="Send my follow-up").click()

    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading", level=1)).to_have_text("Please get medical care now")
    expect(alert).to_contain_text("You told us about a clot in the vein.")
    expect(alert).to_contain_text("MedWatch")
    expect(page.get_by_role("heading", name="Your follow-up is saved")).to_be_visible()
    assert_no_axe_violations(page, "follow-up sent, with the medical care guidance")
    assert FollowUp.objects.get().new_complications == ["vein_clot"]


@pytest.mark.browser
def test_an_edit_of_a_published_story_waits_for_a_moderator(
    live_server, page: Page, moderator_page: Page, author, moderator, totp_secret
):
    story = make_story(author=author, title="Original title")
    public_url = url(live_server, story.get_absolute_url())
    sign_in_author(page, live_server)

    open_story_from_your_stories(page, "Original title")
    assert_no_axe_violations(page, "story management page")
    page.get_by_role("link", name="Edit your story").click()
    expect(heading(page)).to_have_text("Edit your story")
    expect(page.get_by_label("Title")).to_have_value("Original title")
    assert_no_axe_violations(page, "edit form")
    page.get_by_label("Title").fill("New title")
    page.get_by_role("button", name="Save my changes").click()

    expect(heading(page)).to_have_text("Original title")
    expect(page.get_by_role("status")).to_contain_text("Your changes are waiting for a moderator.")
    expect(page.get_by_role("main")).to_contain_text(
        "Your latest edit is waiting for a moderator; readers see the published version until "
        "then."
    )
    assert_no_axe_violations(page, "story management page with an edit waiting")
    page.goto(url(live_server, "/my/"))
    expect(story_card(page, "Original title")).to_contain_text("Status: Published")

    page.goto(public_url)
    expect(heading(page)).to_have_text("Original title")
    assert StoryRevision.objects.get().status == StoryRevision.Status.PENDING

    sign_in_moderator(moderator_page, live_server, moderator, totp_secret)
    moderator_page.get_by_role("link", name="Edits awaiting review", exact=True).click()
    expect(moderator_page).to_have_url(re.compile(r"/moderation/stories/storyrevision/$"))
    assert_no_axe_violations(moderator_page, "edits awaiting review")
    moderator_page.get_by_role("link", name="New title", exact=True).click()
    changes = moderator_page.get_by_role("table").filter(has_text="Proposed")
    expect(changes.get_by_role("row").filter(has_text="title")).to_contain_text(
        re.compile(r"Original title\s*New title")
    )
    assert_no_axe_violations(moderator_page, "an edit in the admin")
    moderator_page.go_back()
    run_admin_action(moderator_page, "New title", "Approve the selected edits")
    expect(moderator_page.get_by_text("Approved edits are now published.")).to_be_visible()
    assert_no_axe_violations(moderator_page, "edits after approval")

    # A new title makes a new address: the old one (made from the old title) is gone.
    page.goto(public_url)
    expect(heading(page)).to_have_text("Page not found")
    page.goto(live_server.url + Story.objects.get(title="New title").get_absolute_url())
    expect(heading(page)).to_have_text("New title")
    assert_no_axe_violations(page, "story page after the edit")


@pytest.mark.browser
def test_an_author_withdraws_then_erases_a_story_then_everything(
    live_server, page: Page, author
):
    gone = make_story(author=author, title="The story I take back")
    kept = make_story(author=author, title="The story I keep")
    public_url = url(live_server, gone.get_absolute_url())
    sign_in_author(page, live_server)

    # Withdraw (after the question): hidden from everyone at once.
    open_story_from_your_stories(page, gone.title)
    page.get_by_role("link", name="Withdraw it from public view").click()
    page.get_by_role("button", name="Yes, withdraw it").click()
    expect(page.get_by_role("status")).to_have_text("“The story I take back” is no longer "
                                                    "shown to anyone.")
    expect(page.get_by_role("main")).to_contain_text(
        "Your story is withdrawn: nobody else can see it."
    )
    assert_no_axe_violations(page, "story management page, withdrawn")
    response = page.goto(public_url)
    assert response is not None and response.status == 404
    expect(heading(page)).to_have_text("Page not found")
    assert_no_axe_violations(page, "page not found")
    page.goto(url(live_server, "/stories/"))
    expect(page.get_by_role("link", name=kept.title)).to_be_visible()
    expect(page.get_by_role("link", name=gone.title)).to_have_count(0)
    page.goto(url(live_server, "/my/"))
    expect(story_card(page, gone.title)).to_contain_text("Status: Withdrawn by the author")

    # Erase that one story: the confirmation page says what goes.
    open_story_from_your_stories(page, gone.title)
    page.get_by_role("link", name="Erase this story completely").click()
    expect(heading(page)).to_have_text("Erase this story completely?")
    expect(page.get_by_role("main")).to_contain_text(
        "This removes “The story I take back” for good: the story and your answers, every "
        "follow-up, your consent records, its place in any research data made from now on, and "
        "its place in the public figures once they next change (only when enough other people's "
        "reports have changed too, which can take weeks). It cannot be undone."
    )
    assert_no_axe_violations(page, "erase a story: confirmation")
    page.get_by_role("button", name="Yes, erase this story").click()
    expect(heading(page)).to_have_text("Your stories")
    expect(page.get_by_role("status")).to_have_text(
        "“The story I take back” and everything with it has been erased."
    )
    expect(page.get_by_role("main").locator(".story-card")).to_have_count(1)
    expect(story_card(page, kept.title)).to_be_visible()
    expect(page.get_by_role("link", name=gone.title)).to_have_count(0)
    assert_no_axe_violations(page, "your stories after erasing one")
    assert list(Story.objects.values_list("title", flat=True)) == [kept.title]

    # Erase everything: the box must be ticked first.
    page.get_by_role("link", name="Erase everything about me").click()
    expect(heading(page)).to_have_text("Erase everything about me")
    expect(page.get_by_role("main")).to_contain_text(
        "your 1 story, with your answers and your words;"
    )
    assert_no_axe_violations(page, "erase everything: confirmation")
    page.get_by_role("button", name="Erase everything about me").click()
    expect(page.get_by_role("status")).to_have_text(
        "Tick the box to confirm, then press the button again."
    )
    assert_no_axe_violations(page, "erase everything: box not ticked")
    assert Story.objects.count() == 1

    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Erase everything about me").click()
    expect(heading(page)).to_have_text("Everything about you has been erased")
    assert_no_axe_violations(page, "erased")
    assert not Story.objects.exists()
    assert not get_user_model().objects.filter(pk=author.pk).exists()

    # Signed out: their pages ask for a sign-in again.
    page.goto(url(live_server, "/my/"))
    expect(page).to_have_url(re.compile(r"/accounts/login/code/\?next=/my/$"))
    expect(heading(page)).to_have_text("Sign in to your stories")
