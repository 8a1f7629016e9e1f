"""A researcher in real headless Chromium: signs in with a password and an authenticator code,
reads the page (which passes axe), downloads a CSV with the button, and the public data
dictionary passes axe too."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hindsight.axe import assert_no_axe_violations
from hindsight.testing import current_totp_code, give_authenticator, make_treatment
from research.dictionary import COLUMN_NAMES
from research.models import ExportLog
from research.tests.helpers import PASSWORD, counted_story, make_researcher

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.browser
def test_a_researcher_signs_in_with_a_code_and_downloads_a_csv(live_server, page: Page):
    treatment = make_treatment()
    for _ in range(6):
        counted_story(treatment)
    researcher = make_researcher()
    secret = give_authenticator(researcher)

    page.goto(live_server.url + "/research/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=(/|%2F)research(/|%2F)$"))
    page.get_by_label("Email").fill(researcher.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    code = page.get_by_label(re.compile("code", re.IGNORECASE))
    expect(code).to_be_visible()
    code.fill(current_totp_code(secret))
    page.get_by_role("button", name=re.compile("Sign in", re.IGNORECASE)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("De-identified research exports")
    assert_no_axe_violations(page, "research page")
    form = page.get_by_role("form", name=treatment.name)
    expect(form).to_contain_text("6 stories can be considered now.")
    with page.expect_download() as info:
        form.get_by_role("button", name="Download CSV").click()
    download = info.value
    assert re.fullmatch(rf"hindsight-{treatment.slug}-\d{{4}}-\d\d-\d\d\.csv",
                        download.suggested_filename)
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == COLUMN_NAMES and len(rows) == 7
    assert ExportLog.objects.get().rows == 6

    page.reload()
    log = page.get_by_role("table", name="Your last ten downloads, newest first")
    expect(log.locator("tbody tr")).to_have_count(1)
    assert_no_axe_violations(page, "research page with a download logged")


@pytest.mark.browser
def test_the_data_dictionary_passes_axe_and_fits_a_phone(live_server, page: Page):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/research/dictionary/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Data dictionary of the research export")
    expect(page.locator("section#treatment_year")).to_contain_text("2010-2012")
    assert_no_axe_violations(page, "data dictionary")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
