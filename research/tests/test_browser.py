"""A researcher in real headless Chromium: signs in with a password and an authenticator code,
asks for a CSV with the button, waits for the worker to build it, refreshes and downloads it,
all without JavaScript; with JavaScript the list updates itself while an export is built, and
the page passes axe in each state. The public data dictionary passes axe too."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from hindsight.axe import assert_no_axe_violations
from hindsight.testing import current_totp_code, give_authenticator, make_treatment, tasks_run_by
from research.dictionary import COLUMN_NAMES
from research.models import ExportLog, ExportRequest
from research.tests.helpers import PASSWORD, counted_story, make_researcher

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = tasks_run_by("django_tasks_db.DatabaseBackend")


def sign_in(page: Page, live_server, researcher, secret) -> None:
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


def run_the_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "research",
                 verbosity=0)


@pytest.mark.browser
@pytest.mark.browser_context_args(java_script_enabled=False)
def test_a_researcher_asks_for_a_csv_and_downloads_it_once_built_without_javascript(
    live_server, page: Page, settings
):
    settings.TASKS = DATABASE_TASKS  # built by the worker, as on the site
    treatment = make_treatment()
    for _ in range(6):
        counted_story(treatment)
    researcher = make_researcher()
    sign_in(page, live_server, researcher, give_authenticator(researcher))
    form = page.get_by_role("form", name=treatment.name)
    expect(form).to_contain_text("6 stories can be considered now.")

    form.get_by_role("button", name="Prepare CSV").click()

    expect(page.get_by_role("status").first).to_contain_text("is waiting to be built")
    exports = page.get_by_role("table", name="Your last ten exports, newest first")
    expect(exports.locator("tbody tr")).to_have_count(1)
    expect(exports).to_contain_text("Waiting to be built")
    expect(page.locator("#exports-status")).to_have_text(
        "1 export is waiting or being built.")

    run_the_worker()
    page.get_by_role("link", name="Refresh").click()

    expect(page).to_have_url(re.compile(r"/research/#exports$"))
    expect(exports).to_contain_text("Ready to download")
    expect(page.locator("#exports-status")).to_have_text("1 export is ready to download.")
    with page.expect_download() as info:
        exports.get_by_role("link", name=re.compile("^Download the CSV export of")).click()
    download = info.value
    assert re.fullmatch(rf"hindsight-{treatment.slug}-\d{{4}}-\d\d-\d\d\.csv",
                        download.suggested_filename)
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == COLUMN_NAMES and len(rows) == 7
    log = ExportLog.objects.get()
    assert (log.rows, log.people) == (6, 6)


@pytest.mark.browser
def test_with_javascript_the_list_updates_itself_and_the_page_passes_axe(live_server,
                                                                         page: Page, settings):
    settings.TASKS = DATABASE_TASKS
    treatment = make_treatment()
    for _ in range(5):
        counted_story(treatment)
    researcher = make_researcher()
    sign_in(page, live_server, researcher, give_authenticator(researcher))
    assert_no_axe_violations(page, "research page")
    page.get_by_role("form", name=treatment.name).get_by_role(
        "button", name="Prepare JSON").click()
    status = page.locator("#exports-status")
    expect(status).to_have_text("1 export is waiting or being built.")
    assert_no_axe_violations(page, "research page with an export waiting")

    run_the_worker()

    # No reload: the page asks every 10 seconds while something is waiting.
    expect(status).to_have_text("1 export is ready to download.", timeout=25_000)
    link = page.get_by_role("link", name=re.compile("^Download the JSON export of"))
    expect(link).to_be_visible()
    assert ExportRequest.objects.get().status == ExportRequest.Status.READY
    assert_no_axe_violations(page, "research page updated in place")
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.endswith(".json")
    assert ExportLog.objects.get().people == 5


@pytest.mark.browser
def test_the_data_dictionary_passes_axe_and_fits_a_phone(live_server, page: Page):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/research/dictionary/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Data dictionary of the research export")
    expect(page.locator("section#treatment_year")).to_contain_text("2010-2012")
    assert_no_axe_violations(page, "data dictionary")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
