"""In real headless Chromium: a moderator decides on each item from its own page. A comment is
edited and published from its page (which links the page it is on), a follow-up is rejected
with a reason, and a reported story is kept after its reports are read. axe checks each
moderation page on the way."""

import re
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from discussion.models import Comment
from discussion.services import commenter_for
from followups.models import FollowUp
from hindsight.axe import assert_no_axe_violations
from hindsight.browser import sign_in_as_moderator
from hindsight.testing import make_story
from moderation.models import Action, ModerationDecision, RejectReason
from stories.models import StoryReport
from stories.reports import story_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "020 7946 0958"


def _public(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return response.read().decode()


def test_a_comment_is_edited_and_published_from_its_own_page(
    live_server, page: Page, moderator, totp_secret
):
    story = make_story(title="Warm hands after Katowice")
    commenter = commenter_for("jo@example.org")
    commenter.confirmed_at = timezone.now()
    commenter.save()
    comment = Comment.objects.create(
        target=story, commenter=commenter, name="Jo", status=Comment.Status.PENDING,
        body=f"Same here. Ring me on {PHONE} to compare notes.",
    )
    sign_in_as_moderator(page, live_server.url, moderator, totp_secret)
    page.goto(live_server.url + "/moderation/discussion/comment/")
    # The list says which page each comment is on.
    row = page.get_by_role("row", name=re.compile("Same here"))
    expect(row.get_by_role("link", name="Warm hands after Katowice")).to_have_attribute(
        "href", story.get_absolute_url())
    expect(page.get_by_role("link", name=re.compile("kind of page|Stories"))).not_to_have_count(0)
    expect(page.get_by_role("link", name="sessions")).to_have_count(0)
    assert_no_axe_violations(page, "comments to moderate")

    row.get_by_role("link").first.click()
    expect(page.get_by_role("link", name="Warm hands after Katowice")).to_be_visible()
    expect(page.locator("mark.identifying").filter(has_text="7946")).to_have_count(1)
    assert_no_axe_violations(page, "a comment's own page")
    page.locator("#id_body").fill("Same here.")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("Comment published")).to_be_visible()

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.body == "Same here."
    decision = ModerationDecision.objects.get(action=Action.APPROVE, object_id=comment.pk)
    assert decision.changed_fields == ["body"]
    story_page = _public(live_server.url + story.get_absolute_url())
    assert "Same here." in story_page and "7946" not in story_page


def test_a_follow_up_is_rejected_with_a_reason_from_its_own_page(
    live_server, page: Page, moderator, totp_secret
):
    story = make_story(title="Warm hands after Katowice")
    followup = FollowUp.objects.create(story=story, reported_on="2012-03-01",
                                       result="no_change", body="It all came back.")
    sign_in_as_moderator(page, live_server.url, moderator, totp_secret)
    page.goto(live_server.url + f"/moderation/followups/followup/{followup.pk}/change/")
    # Coded answers are checkboxes and selects, not JSON.
    expect(page.get_by_label("Fatigue")).to_have_js_property("tagName", "SELECT")
    expect(page.get_by_label("A clot in the vein")).to_have_attribute("type", "checkbox")
    assert_no_axe_violations(page, "a follow-up's own page")
    page.get_by_role("button", name="Save, then reject…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reject this follow-up")
    assert_no_axe_violations(page, "the reason page")

    page.get_by_role("button", name="Reject").click()  # no reason chosen
    expect(page.get_by_text("This field is required.")).to_be_visible()
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.PENDING

    page.get_by_label("Reason").select_option(RejectReason.DANGEROUS.value)
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Rejected:")).to_be_visible()
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.REJECTED
    assert ModerationDecision.objects.get(action=Action.REJECT).reason == RejectReason.DANGEROUS


def test_a_reported_story_is_kept_once_its_reports_are_read(
    live_server, page: Page, moderator, totp_secret
):
    story = make_story(title="Warm hands after Katowice")
    story_report(story=story, reason="privacy", note="It names her neighbour.")
    sign_in_as_moderator(page, live_server.url, moderator, totp_secret)
    page.goto(live_server.url + "/moderation/stories/story/?reported=open")
    page.get_by_role("link", name="Warm hands after Katowice").click()
    expect(page.get_by_text("It names her neighbour.")).to_be_visible()
    assert_no_axe_violations(page, "a reported story")

    page.get_by_role("button", name="Save and keep it published").click()
    expect(page.get_by_text("Kept published")).to_be_visible()
    assert not StoryReport.objects.filter(resolved=False).exists()
    assert ModerationDecision.objects.filter(action=Action.KEEP, object_id=story.pk).exists()
