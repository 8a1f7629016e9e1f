"""End-to-end tests in real headless Chromium: a story goes from the share form, through the
emailed link and a moderator, to the public list; the form keeps working without JavaScript;
every page visited is checked with axe (WCAG 2.1 A and AA)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from hindsight.axe import assert_no_axe_violations
from hindsight.browser import sign_in_as_moderator
from hindsight.testing import give_authenticator, make_moderator, make_treatment
from stories.models import Story

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT_KEY = "hindsight-share-draft"
PASSWORD = "a-long-test-password-1"
TITLE = "Warmer hands after Katowice"
BODY = "My fatigue lifted within a week and my hands were warm for the first time."
SUMMARY = (
    "Treated in March 2011 in Katowice, Poland · Balloon angioplasty · ‘A little better’ · "
    "fatigue better within a week"
)


@pytest.fixture
def treatment(transactional_db):
    return make_treatment()


@pytest.fixture
def moderator(transactional_db):
    return make_moderator()


@pytest.fixture
def totp_secret(moderator):
    return give_authenticator(moderator)


def url(live_server, path: str) -> str:
    return live_server.url + path


def confirmation_path() -> str:
    assert mail.outbox, "no email was sent"
    match = re.search(r"/stories/confirm/[^\s/]+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def fill_story(page: Page, *, display_name="Anna", email="anna@example.com", result=True):
    """Answer the share form as someone who had the procedure; `result=False` skips the
    (then required) overall result."""
    page.get_by_label("Yes, I had it").check()
    page.locator("#id_treated_month").select_option(label="March")
    page.locator("#id_treated_year").fill("2011")
    page.locator("#id_country").select_option(label="Poland")
    page.locator("#id_city").fill("Katowice")
    page.locator("#id_clinic").fill("A private clinic")
    page.get_by_label("Balloon angioplasty").check()
    page.get_by_label("Left internal jugular").check()
    page.get_by_label("Azygos").check()
    if result:
        page.get_by_label("A little better").check()
    page.get_by_role("group", name="Fatigue").get_by_label("Better", exact=True).check()
    page.get_by_role("group", name="Walking").get_by_label("Same", exact=True).check()
    page.get_by_label("Within a week").check()
    page.get_by_label("None", exact=True).check()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_body").fill(BODY)
    page.locator("#id_display_name").fill(display_name)
    page.locator("#id_email").fill(email)
    page.locator("#id_consent_publish").check()
    page.locator("#id_consent_statistics").check()


def send_story(page: Page) -> None:
    page.get_by_role("button", name="Send my story").click()


@pytest.mark.browser
def test_a_story_goes_from_the_form_through_moderation_to_the_public_list(
    live_server, page: Page, treatment, moderator, totp_secret
):
    # The home page, and the way in to the form.
    page.goto(url(live_server, "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What happened next?")
    assert_no_axe_violations(page, "home page")
    page.get_by_role("main").get_by_role("link", name="Share your story").click()
    expect(page).to_have_url(url(live_server, "/stories/share/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Share your story")
    assert_no_axe_violations(page, "empty share form")

    # First attempt, with mistakes: no display name, a bad email, no overall result.
    fill_story(page, display_name="", email="not-an-email", result=False)
    send_story(page)

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    # The summary comes before the form.
    assert page.evaluate(
        """() => {
            const summary = document.getElementById('error-summary');
            const form = document.querySelector('form.story-form');
            return !!(summary.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    links = summary.get_by_role("link")
    expect(links).to_have_count(3)
    hrefs = [links.nth(i).get_attribute("href") for i in range(3)]
    assert hrefs == ["#id_result_0", "#id_display_name", "#id_email"]
    for href in hrefs:
        expect(page.locator(href)).to_be_attached()
    expect(summary.get_by_role("link", name=re.compile(r"^Display name:"))).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile(r"^Email address:"))).to_be_visible()
    # Each field in error says what is wrong, and the input is marked invalid.
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_display_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_result_error")).to_be_visible()
    expect(page.locator("#id_email")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_email_error\b")
    )
    expect(page.locator("#id_result-group")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_result_error\b")
    )
    # Each link in the summary takes the keyboard to its field.
    for i, href in enumerate(hrefs):
        links.nth(i).click()
        expect(page.locator(href)).to_be_focused()

    # Nothing typed was lost.
    expect(page.get_by_label("Yes, I had it")).to_be_checked()
    expect(page.locator("#procedure-questions")).to_be_visible()
    expect(page.locator("#id_treated_month")).to_have_value("3")
    expect(page.locator("#id_treated_year")).to_have_value("2011")
    expect(page.locator("#id_country")).to_have_value("PL")
    expect(page.locator("#id_city")).to_have_value("Katowice")
    expect(page.locator("#id_clinic")).to_have_value("A private clinic")
    expect(page.get_by_label("Balloon angioplasty")).to_be_checked()
    expect(page.get_by_label("Left internal jugular")).to_be_checked()
    expect(page.get_by_label("Azygos")).to_be_checked()
    expect(page.get_by_label("Right internal jugular")).not_to_be_checked()
    expect(page.get_by_role("group", name="Fatigue").get_by_label("Better")).to_be_checked()
    expect(page.get_by_role("group", name="Walking").get_by_label("Same")).to_be_checked()
    expect(page.get_by_label("Within a week")).to_be_checked()
    expect(page.get_by_label("None", exact=True)).to_be_checked()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_body")).to_have_value(BODY)
    expect(page.locator("#id_email")).to_have_value("not-an-email")
    expect(page.locator("#id_display_name")).to_have_value("")
    expect(page.locator("#id_consent_publish")).to_be_checked()
    expect(page.locator("#id_consent_statistics")).to_be_checked()
    assert_no_axe_violations(page, "share form with errors")
    assert not mail.outbox
    assert not Story.objects.exists()

    # Corrected and sent.
    page.locator("#id_display_name").fill("Anna")
    page.locator("#id_email").fill("anna@example.com")
    page.get_by_label("A little better").check()
    send_story(page)
    expect(page).to_have_url(url(live_server, "/stories/share/sent/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you. Now check your email.")
    assert_no_axe_violations(page, "check your email page")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.com"]

    # The link from the email, then the confirm button.
    page.goto(url(live_server, confirmation_path()))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email")
    assert_no_axe_violations(page, "confirm page")
    page.get_by_role("button", name="Yes, I sent this story").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your email is confirmed"
    )
    assert_no_axe_violations(page, "confirmed page")
    assert Story.objects.get().status == Story.Status.PENDING

    # A moderator signs in, finds it in the queue and approves it.
    # The admin sends moderators to the site's own sign-in page: password, then a code from
    # their authenticator app.
    sign_in_as_moderator(page, live_server.url, moderator, totp_secret)
    page.get_by_role("link", name="Stories awaiting review", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("story awaiting review"))
    assert_no_axe_violations(page, "moderation queue")
    page.get_by_role("link", name=TITLE).click()
    approve = page.get_by_role("button", name="Save and publish")
    expect(approve).to_be_visible()
    assert_no_axe_violations(page, "story in the admin")
    approve.click()
    expect(page.get_by_text(f"Approved and published: {TITLE}")).to_be_visible()
    assert_no_axe_violations(page, "queue after approval")
    story = Story.objects.get()
    assert story.status == Story.Status.APPROVED
    assert mail.outbox[-1].to == ["anna@example.com"]

    # The public list, filtered, finds it; its page shows the title and the summary line.
    page.goto(url(live_server, "/stories/"))
    assert_no_axe_violations(page, "story list")
    filters = page.get_by_role("search", name="Filter stories")
    filters.get_by_label("Result").select_option(label="A little better")
    filters.get_by_label("Country treated in").select_option(label="Poland")
    filters.get_by_role("button", name="Show stories").click()
    expect(page).to_have_url(re.compile(r"/stories/\?.*result=little_better"))
    expect(page).to_have_url(re.compile(r"[?&]country=PL"))
    expect(page.get_by_role("heading", name="1 story")).to_be_visible()
    assert_no_axe_violations(page, "filtered story list")
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(url(live_server, story.get_absolute_url()))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("article.story .summary")).to_have_text(SUMMARY)
    expect(page).to_have_title(f"{TITLE} · Hindsight")
    assert_no_axe_violations(page, "story page")


@pytest.mark.browser
def test_with_javascript_questions_appear_when_needed_and_the_draft_survives_a_reload(
    live_server, page: Page, treatment
):
    page.goto(url(live_server, "/stories/share/"))
    procedure = page.locator("#procedure-questions")
    expect(procedure).to_be_hidden()
    page.get_by_label("I am considering it").check()
    expect(procedure).to_be_hidden()
    page.get_by_label("Yes, I had it").check()
    expect(procedure).to_be_visible()
    assert_no_axe_violations(page, "share form with the procedure questions open")

    page.locator("#id_city").fill("Katowice")
    page.get_by_label("A little better").check()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_body").fill(BODY)
    page.reload()

    expect(page.locator("form.story-form")).to_have_attribute("data-draft-restored", "true")
    expect(page.get_by_label("Yes, I had it")).to_be_checked()
    expect(procedure).to_be_visible()
    expect(page.locator("#id_city")).to_have_value("Katowice")
    expect(page.get_by_label("A little better")).to_be_checked()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_body")).to_have_value(BODY)
    expect(page.get_by_role("button", name="Clear the draft")).to_be_visible()

    fill_story(page)
    draft = page.evaluate(f"() => window.localStorage.getItem('{DRAFT_KEY}')")
    assert draft is not None and TITLE in draft
    assert "anna@example.com" not in draft  # a shared computer never keeps the address
    send_story(page)
    expect(page).to_have_url(url(live_server, "/stories/share/sent/"))
    page.wait_for_function(f"() => window.localStorage.getItem('{DRAFT_KEY}') === null")

    page.goto(url(live_server, "/stories/share/"))
    expect(page.locator("#id_title")).to_have_value("")
    expect(page.locator("form.story-form")).not_to_have_attribute("data-draft-restored", "true")
    expect(procedure).to_be_hidden()
    assert Story.objects.get().title == TITLE


@pytest.mark.browser
def test_without_javascript_the_form_still_sends_and_the_story_is_shared(
    live_server, browser, treatment
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url(live_server, "/stories/share/"))
        # Every question is there, with a note saying which ones apply.
        expect(page.locator("#procedure-questions")).to_be_visible()
        expect(page.locator("#procedure-questions .no-js-only")).to_be_visible()
        expect(page.locator("[data-draft-note]")).to_be_hidden()

        fill_story(page, email="not-an-email")
        send_story(page)
        expect(page.locator("#error-summary")).to_be_visible()
        expect(page.locator("#id_title")).to_have_value(TITLE)
        expect(page.locator("#id_email")).to_have_value("not-an-email")

        page.locator("#id_email").fill("anna@example.com")
        send_story(page)
        expect(page).to_have_url(url(live_server, "/stories/share/sent/"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Thank you. Now check your email."
        )
        story = Story.objects.get()
        assert (story.status, story.title, story.result) == (
            Story.Status.UNCONFIRMED, TITLE, "little_better"
        )

        page.goto(url(live_server, confirmation_path()))
        page.get_by_role("button", name="Yes, I sent this story").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Thank you: your email is confirmed"
        )
        story.refresh_from_db()
        assert story.status == Story.Status.PENDING
    finally:
        context.close()


@pytest.mark.browser
def test_without_the_sites_javascript_the_form_passes_axe(live_server, browser, treatment):
    # axe cannot run where JavaScript is off (its timers never fire), so the pages a browser
    # without JavaScript shows are checked with the site's own scripts blocked instead.
    context = browser.new_context()
    try:
        context.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
        page = context.new_page()
        page.goto(url(live_server, "/stories/share/"))
        expect(page.locator("#procedure-questions .no-js-only")).to_be_visible()
        expect(page.locator("html")).not_to_have_class(re.compile(r"\bjs\b"))
        assert_no_axe_violations(page, "share form without JavaScript")

        fill_story(page, display_name="", email="not-an-email")
        send_story(page)
        expect(page.locator("#error-summary")).to_be_visible()
        assert_no_axe_violations(page, "share form with errors, without JavaScript")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/stories/", "/stories/share/"])
def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    live_server, page: Page, treatment, path
):
    page.goto(url(live_server, path))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab stop is inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")
