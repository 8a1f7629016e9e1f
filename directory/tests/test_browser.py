"""In real headless Chromium: find a directory entry while filling the share form, suggest a
correction to it and see it in the moderators' queue; the pages pass axe (WCAG 2.1 A and AA),
with the site's scripts and without them."""

import re

import pytest
from playwright.sync_api import Page, expect

from directory import views
from directory.demo import directory_demo_load
from directory.models import DirectoryEntry, EntrySuggestion
from directory.tests.helpers import link, make_directory_moderator
from hindsight.axe import assert_no_axe_violations
from hindsight.browser import sign_in_as_moderator
from hindsight.testing import give_authenticator, make_story, make_treatment
from outcomes.tests.helpers import release_figures

pytestmark = pytest.mark.django_db(transaction=True)

CORRECTION = "Typed in the browser: the centre has a new name since 2015."


@pytest.fixture
def treatment(transactional_db):
    return make_treatment()


@pytest.fixture
def moderator(transactional_db, treatment):
    moderator = make_directory_moderator()
    directory_demo_load()
    return moderator


@pytest.fixture
def totp_secret(moderator):
    return give_authenticator(moderator)


@pytest.fixture(autouse=True)
def _patient_typist(monkeypatch):
    # A person takes seconds to type; the test takes milliseconds. The check itself is tested
    # in test_suggest.py.
    monkeypatch.setattr(views, "MIN_SECONDS_TO_WRITE", 0)


def _open_where_and_who(page: Page, base_url: str) -> None:
    page.goto(base_url + "/stories/share/")
    page.get_by_label("Yes, I had it").check()


@pytest.mark.browser
def test_find_an_entry_while_sharing_suggest_a_correction_and_see_it_in_the_queue(
    live_server, page: Page, moderator, totp_secret
):
    base = live_server.url
    _open_where_and_who(page, base)

    # "Who did your treatment?": typing part of the name offers the entry.
    who = page.get_by_role("combobox", name="Who did your treatment?")
    expect(who).to_have_attribute("aria-expanded", "false")
    who.press_sequentially("Zamb", delay=30)
    option = page.get_by_role("option", name=re.compile(r"^Paolo Zamboni"))
    expect(option).to_be_visible()
    expect(who).to_have_attribute("aria-expanded", "true")
    announced = page.get_by_role("status").filter(has_text="1 match from the directory")
    expect(announced).to_have_count(1)
    assert_no_axe_violations(page, "share form with directory suggestions open")

    # Chosen with the keyboard alone; the form is not sent by the Enter key.
    who.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(who).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    who.press("Enter")
    expect(who).to_have_value("Paolo Zamboni")
    expect(option).to_be_hidden()
    expect(who).to_have_attribute("aria-expanded", "false")
    expect(page).to_have_url(base + "/stories/share/")

    # Free text stays allowed: nothing is offered for a name the directory does not hold.
    clinic = page.get_by_role("combobox", name="Clinic or hospital")
    clinic.press_sequentially("A private clinic", delay=10)
    page.wait_for_timeout(600)
    expect(page.locator(".directory-suggestions")).to_have_count(3)  # one per field
    expect(page.get_by_role("listbox")).to_have_count(0)  # all closed
    expect(clinic).to_have_attribute("aria-expanded", "false")
    expect(clinic).to_have_value("A private clinic")

    # "Where?": an institution, picked with the pointer, also fills the empty city and country.
    clinic.fill("")
    clinic.press_sequentially("Ferr", delay=30)
    page.get_by_role("option", name=re.compile(r"^University of Ferrara")).click()
    expect(clinic).to_have_value("University of Ferrara")
    expect(page.get_by_role("combobox", name="City")).to_have_value("Ferrara")
    expect(page.locator("#id_country")).to_have_value("IT")

    # The directory, from the main navigation: the entry, and a correction to it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Who does it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who does it and where")
    assert_no_axe_violations(page, "directory list")
    page.get_by_role("link", name="Paolo Zamboni").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paolo Zamboni")
    expect(page.get_by_text("Director of the Centre for Vascular Diseases").first).to_be_visible()
    assert_no_axe_violations(page, "directory entry")
    page.get_by_role("link", name="Suggest a correction to this entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Suggest a correction to Paolo Zamboni")
    assert_no_axe_violations(page, "correction form")

    page.get_by_role("button", name="Send my suggestion").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    to_field = summary.get_by_role("link", name=re.compile("^What should be corrected"))
    expect(to_field).to_be_visible()
    expect(page.get_by_label("What should be corrected?")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page, "correction form with an error")

    page.get_by_label("What should be corrected?").fill(CORRECTION)
    page.get_by_role("button", name="Send my suggestion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your suggestion")
    assert_no_axe_violations(page, "suggestion sent")
    suggestion = EntrySuggestion.objects.get()
    assert (suggestion.kind, suggestion.entry.slug, suggestion.correction) == (
        "correction", "paolo-zamboni", CORRECTION)

    # A moderator finds it in the queue and accepts it.
    sign_in_as_moderator(page, base, moderator, totp_secret)
    page.get_by_role("link", name="Directory suggestions awaiting review", exact=True).click()
    queued = page.get_by_role("link", name="Correction to Paolo Zamboni")
    expect(queued).to_be_visible()
    assert_no_axe_violations(page, "suggestions queue")
    queued.click()
    expect(page.get_by_text(CORRECTION)).to_be_visible()
    assert_no_axe_violations(page, "suggestion in the admin")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted: make the correction in this entry")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Paolo Zamboni")
    suggestion.refresh_from_db()
    assert suggestion.status == EntrySuggestion.Status.ACCEPTED


@pytest.mark.browser
def test_without_the_sites_javascript_the_fields_are_plain_and_the_pages_pass_axe(
    live_server, browser, moderator
):
    context = browser.new_context()
    try:
        context.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
        page = context.new_page()
        _open_where_and_who(page, live_server.url)
        who = page.get_by_label("Who did your treatment?")
        expect(who).not_to_have_attribute("role", "combobox")
        who.fill("Somebody the directory does not know")
        expect(page.locator(".directory-suggestions")).to_have_count(0)
        expect(who).to_have_value("Somebody the directory does not know")

        page.goto(live_server.url + "/directory/suggest/")
        assert_no_axe_violations(page, "new entry form without JavaScript")
        page.get_by_label("Name of the person or centre").fill("Dr Example")
        page.get_by_role("button", name="Send my suggestion").click()
        expect(page.locator("#error-summary")).to_be_visible()
        expect(page.get_by_label("Name of the person or centre")).to_have_value("Dr Example")
        assert_no_axe_violations(page, "new entry form with errors, without JavaScript")
        page.get_by_label("Clinician who performs the procedure").check()
        page.get_by_label("What do they do, or what did they do?").fill(
            "Performs venous angioplasty.")
        page.get_by_role("button", name="Send my suggestion").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your suggestion")
        assert EntrySuggestion.objects.get().name == "Dr Example"
    finally:
        context.close()


@pytest.mark.browser
def test_an_entry_page_with_counted_results_passes_axe(live_server, page: Page, moderator):
    entry = DirectoryEntry.objects.get(slug="michael-dake")
    # The published stories are listed with their results; the 14 who agreed to statistics
    # only are the protected part, and the 2 among them who felt much worse are hidden.
    results = ["much_better"] * 10 + ["no_change"] * 12 + ["much_worse"] * 2
    for n, result in enumerate(results):  # 24 people, each with their own address
        link(make_story(result=result, title=f"Linked story {result}",
                        email=f"linked-{n}@example.org",
                        consent_publish=result == "much_better"), entry)
    release_figures()

    page.goto(live_server.url + entry.get_absolute_url())

    expect(page.locator("#results-count")).to_have_text(re.compile("^24 people are counted"))
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile("^Much worse"))).to_contain_text("not shown")
    expect(page.get_by_role("link", name="Linked story much_better").first).to_be_visible()
    assert_no_axe_violations(page, "entry page with results and stories")


@pytest.mark.browser
def test_an_author_editing_their_story_gets_the_same_directory_suggestions(
    live_server, page: Page, moderator, treatment
):
    from django.conf import settings
    from django.test import Client

    from accounts.services import author_for_email

    author = author_for_email("anna@example.com")
    story = make_story(treatment, author=author, treated_by="")
    signed_in = Client()
    signed_in.force_login(author)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": signed_in.cookies[settings.SESSION_COOKIE_NAME].value}])

    page.goto(f"{live_server.url}/my/stories/{story.pk}/edit/")

    who = page.get_by_role("combobox", name="Who did your treatment?")
    who.press_sequentially("Zamb", delay=30)
    page.get_by_role("option", name=re.compile(r"^Paolo Zamboni")).click()
    expect(who).to_have_value("Paolo Zamboni")
    assert_no_axe_violations(page, "story edit form with directory suggestions")
