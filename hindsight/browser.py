"""Steps that several browser tests take the same way."""

import re

from playwright.sync_api import Page, expect

from hindsight.axe import assert_no_axe_violations
from hindsight.testing import current_totp_code

MODERATOR_PASSWORD = "a-long-test-password-1"  # make_moderator's


def sign_in_as_moderator(page: Page, base_url: str, moderator, totp_secret: str) -> None:
    """From /moderation/: the site's sign-in page (email and password), then the authenticator
    code; ends on the admin index. Each page on the way is checked with axe."""
    page.goto(base_url + "/moderation/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fmoderation%2F"))
    assert_no_axe_violations(page, "moderator sign-in")
    page.get_by_label("Email").fill(moderator.email)
    page.get_by_label("Password").fill(MODERATOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    code_field = page.get_by_label(re.compile("code", re.IGNORECASE))
    expect(code_field).to_be_visible()
    assert_no_axe_violations(page, "authenticator code")
    code_field.fill(current_totp_code(totp_secret))
    page.get_by_role("button", name=re.compile("Sign in", re.IGNORECASE)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation and content")
    assert_no_axe_violations(page, "admin index")
