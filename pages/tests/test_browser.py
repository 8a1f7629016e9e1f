"""The site pages and the contact form in real headless Chromium, checked with axe (WCAG 2.1 A
and AA): a reader finds the privacy page from the footer, writes to the site, makes mistakes,
is taken to them, and sends."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from hindsight.axe import assert_no_axe_violations
from pages import views
from pages.models import ContactMessage

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = "The evidence page gives the wrong year for the FDA statement."


@pytest.fixture(autouse=True)
def _quick_hands(monkeypatch):
    # The browser types in milliseconds; the time check has its own tests.
    monkeypatch.setattr(views, "MIN_SECONDS_TO_WRITE", 0)


@pytest.mark.browser
def test_the_privacy_page_is_found_from_the_footer_and_passes_axe(live_server, page: Page):
    page.goto(live_server.url + "/")
    footer = page.get_by_role("navigation", name="About this site")
    footer.get_by_role("link", name="Privacy").click()

    expect(page).to_have_url(live_server.url + "/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    expect(page.get_by_role("heading", level=2, name="How long we keep it")).to_be_visible()
    assert_no_axe_violations(page, "privacy page")


@pytest.mark.browser
def test_a_reader_writes_to_the_site_fixes_mistakes_and_sends(live_server, page: Page):
    page.goto(live_server.url + "/privacy/")
    page.get_by_role("navigation", name="About this site").get_by_role(
        "link", name="Contact us").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")
    assert_no_axe_violations(page, "contact form")
    # The field for robots is out of sight and out of the keyboard's way.
    expect(page.locator("#id_website")).not_to_be_in_viewport()
    expect(page.locator("#id_website")).to_have_attribute("tabindex", "-1")

    page.get_by_label("Your name").fill("Jo")
    page.get_by_label("Your email address").fill("jo at example")
    page.get_by_label("Your message").fill(MESSAGE)
    page.get_by_role("button", name="Send my message").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    assert [links.nth(i).get_attribute("href") for i in range(2)] == ["#id_email",
                                                                      "#id_subject"]
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_subject")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_subject_error\b"))
    assert_no_axe_violations(page, "contact form with errors")
    # Nothing typed was lost.
    expect(page.get_by_label("Your name")).to_have_value("Jo")
    expect(page.get_by_label("Your message")).to_have_value(MESSAGE)

    links.nth(0).click()
    expect(page.locator("#id_email")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("jo@example.org")
    links.nth(1).click()
    expect(page.locator("#id_subject")).to_be_focused()
    page.keyboard.type("A wrong year")
    page.get_by_role("button", name="Send my message").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you. Your message is on its way.")
    assert_no_axe_violations(page, "message sent")
    [email] = mail.outbox
    assert email.subject.startswith("Contact form: A wrong year")
    assert MESSAGE in email.body and email.extra_headers["Reply-To"] == "jo@example.org"
    assert not ContactMessage.objects.exists()


@pytest.mark.browser
def test_the_not_found_page_passes_axe(live_server, page: Page):
    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_no_axe_violations(page, "not found page")
