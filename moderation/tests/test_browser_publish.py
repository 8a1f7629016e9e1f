"""In real headless Chromium: what a moderator removes from a story, or from an author's edit,
before pressing the publish button never reaches a reader. Every public address is then read
over HTTP, as a stranger would: the story page, the list, search, feeds, the sitemap, the
outcomes page and each of its downloads; and every email sent afterwards."""

import re
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from hindsight.axe import assert_no_axe_violations
from hindsight.browser import sign_in_as_moderator
from hindsight.testing import make_story, make_treatment
from outcomes.tests.helpers import release_figures
from stories import services
from stories.models import Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Jan Kowalski"
STREET = "12 Baker Street"
EMAIL = "jan.kowalski@example.org"
PHONE = "+44 20 7946 0958"
IDENTIFYING = [NAME, "Kowalski", STREET, "Baker Street", EMAIL, PHONE, "7946"]

WITH_DETAILS = (
    f"My husband {NAME} drove me to the clinic from our house at {STREET}. Write to me at "
    f"{EMAIL} or ring {PHONE} if you are thinking of going. My fatigue lifted within a week "
    "and my hands were warm for the first time in years."
)
WITHOUT_DETAILS = (
    "My husband drove me to the clinic from our house. My fatigue lifted within a week and my "
    "hands were warm for the first time in years."
)


def _get(url: str) -> str:
    """A stranger's GET: no cookies, no session."""
    try:
        with urllib.request.urlopen(url) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8", "replace")


def _public_addresses(base: str, story: Story) -> list[str]:
    """Every public address that could show the story's words, found as a crawler would."""
    addresses = [
        base + story.get_absolute_url(),
        base + "/",
        base + "/stories/",
        base + f"/treatments/{story.treatment.slug}/",
        base + "/feeds/stories.rss",
        base + "/feeds/stories.atom",
        base + "/sitemap.xml",
        *(
            base + f"/search/?q={quote(word)}"
            for word in ["Kowalski", "Baker", "husband", "example.org", "7946", "fatigue"]
        ),
    ]
    # The sitemap names the site's own address (SITE_URL); read each section from this server.
    addresses += [base + path for path in
                  re.findall(r"<loc>https?://[^/<]+(/sitemap-[^<]+)</loc>",
                             _get(base + "/sitemap.xml"))]
    release_figures()  # the outcomes page and its downloads show released figures only
    outcomes = base + f"/outcomes/{story.treatment.slug}/"
    addresses.append(outcomes)
    addresses += [
        base + path
        for path in set(re.findall(r'href="(/outcomes/[^"]+/data/[^"]+)"', _get(outcomes)))
    ]
    return addresses


def _assert_nothing_identifying_anywhere(base: str, story: Story, must_show: str) -> None:
    addresses = _public_addresses(base, story)
    assert any("/outcomes/" in a and "/data/" in a for a in addresses), "no downloads found"
    assert any("/sitemap-" in a for a in addresses), "no sitemap sections found"
    story_page = _get(addresses[0])
    assert must_show in story_page, "the story page does not show the published text"
    for address in addresses:
        text = _get(address)
        if "/search/?q=" in address:
            # The search page repeats what was asked; it must find nothing with the detail.
            asked = address.split("q=", 1)[1]
            if asked in ("Kowalski", "Baker", "example.org", "7946"):
                assert story.get_absolute_url() not in text, f"found by {address}"
            text = text.replace(asked, "")
        for detail in IDENTIFYING:
            assert detail not in text, f"{detail!r} is public at {address}"
    for message in mail.outbox:
        bodies = [message.subject, message.body] + [
            content for content, _type in getattr(message, "alternatives", [])
        ]
        for detail in IDENTIFYING:
            assert not any(detail in body for body in bodies), (
                f"{detail!r} was emailed to {message.to}"
            )


def test_details_removed_before_publishing_are_nowhere_public(
    live_server, page: Page, moderator, totp_secret
):
    make_treatment()
    story = make_story(
        status=Story.Status.PENDING,
        title=f"{NAME} and the Katowice clinic",
        body=WITH_DETAILS,
        email="author@example.com",
        email_confirmed_at=timezone.now(),
    )
    sign_in_as_moderator(page, live_server.url, moderator, totp_secret)
    page.get_by_role("link", name="Stories awaiting review", exact=True).click()
    # The queue says how many details each story has to check.
    row = page.get_by_role("row", name=re.compile("Katowice clinic"))
    expect(row.locator("td.field-identifying_count")).not_to_have_text("0")
    row.get_by_role("link").first.click()

    # The helper marks each detail, and says what it is.
    marks = page.locator("mark.identifying")
    expect(marks.filter(has_text=EMAIL)).to_have_count(1)
    expect(marks.filter(has_text="7946")).not_to_have_count(0)
    expect(marks.filter(has_text="Baker Street")).not_to_have_count(0)
    expect(marks.filter(has_text="Kowalski")).not_to_have_count(0)
    assert_no_axe_violations(page, "story to moderate, with details marked")

    page.get_by_label("Title").fill("Warm hands after the Katowice clinic")
    page.locator("#id_body").fill(WITHOUT_DETAILS)
    mail.outbox.clear()
    # The one publish button is inside the story's form: it saves the edit, then publishes.
    expect(page.get_by_role("button", name="Approve and publish")).to_have_count(0)
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("Approved and published: Warm hands")).to_be_visible()
    assert_no_axe_violations(page, "queue after publishing")

    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED
    assert mail.outbox, "the author was not told"
    _assert_nothing_identifying_anywhere(live_server.url, story, "My husband drove me")


def test_details_removed_from_an_authors_edit_are_nowhere_public(
    live_server, page: Page, moderator, totp_secret
):
    make_treatment()
    story = make_story(
        title="Warm hands after the Katowice clinic",
        body=WITHOUT_DETAILS,
        email="author@example.com",
        email_confirmed_at=timezone.now(),
    )
    edited = Story.objects.get(pk=story.pk)
    edited.body = WITH_DETAILS + " A year on, still better."
    services.story_author_edit(story=story, edited=edited)

    sign_in_as_moderator(page, live_server.url, moderator, totp_secret)
    page.get_by_role("link", name="Edits awaiting review", exact=True).click()
    page.get_by_role("link", name="Warm hands after the Katowice clinic").first.click()
    expect(page.locator("mark.identifying").filter(has_text=EMAIL)).to_have_count(1)
    assert_no_axe_violations(page, "an author's edit to moderate")

    page.locator("#id_body").fill(WITHOUT_DETAILS + " A year on, still better.")
    mail.outbox.clear()
    page.get_by_role("button", name="Save and publish this edit").click()
    expect(page.get_by_text("The edit is published")).to_be_visible()

    story.refresh_from_db()
    assert story.body.endswith("A year on, still better.")
    _assert_nothing_identifying_anywhere(live_server.url, story, "A year on, still better.")
