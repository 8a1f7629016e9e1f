"""In real headless Chromium: a moderator locked out by wrong passwords reads why on the sign-in
page, and the page that answers a rate limit (429) passes axe like every other page."""

import pytest
from playwright.sync_api import Page, expect

from audit.models import AuditEvent
from audit.tests.helpers import PASSWORD, WRONG_PASSWORD
from hindsight.axe import assert_no_axe_violations
from hindsight.testing import give_authenticator, make_moderator
from search import views as search_views

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords")]


@pytest.mark.browser
def test_a_locked_out_moderator_reads_why_and_what_they_typed_is_kept(live_server, page: Page):
    moderator = make_moderator()
    give_authenticator(moderator)
    page.goto(live_server.url + "/accounts/login/")

    for password in [WRONG_PASSWORD] * 5 + [PASSWORD]:
        page.get_by_label("Email").fill(moderator.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    expect(page.locator(".error-summary")).to_contain_text(
        "signing in is paused for your safety. Please wait 15 minutes, then try again.")
    expect(page.get_by_label("Email")).to_have_value(moderator.email)
    assert_no_axe_violations(page, "sign-in page during a lock-out")
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "signin.failed"] * 5 + ["signin.locked", "signin.refused"]


@pytest.mark.browser
def test_the_too_many_requests_page_passes_axe(live_server, page: Page, monkeypatch):
    monkeypatch.setattr(search_views, "SEARCHES_PER_WINDOW", 1)
    page.goto(live_server.url + "/search/?q=fatigue")

    response = page.goto(live_server.url + "/search/?q=walking")

    assert response.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Please wait a little before trying again")
    expect(page.locator("main")).to_contain_text("Please wait 5 minutes, then try again.")
    assert_no_axe_violations(page, "429 page")
