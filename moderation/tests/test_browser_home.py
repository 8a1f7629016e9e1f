"""The moderation home in real headless Chromium: a moderator signs in and sees what waits,
follows a queue's link to its list, and axe finds nothing on the way; the panel still reads at
200% zoom."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from directory.models import EntrySuggestion
from directory.tests.helpers import make_directory_moderator
from discussion.models import Comment, CommentReport
from followups.models import FollowUp
from hindsight.axe import assert_no_axe_violations
from hindsight.browser import sign_in_as_moderator
from hindsight.testing import make_story
from stories.choices import ReportReason
from stories.models import Story, StoryReport, StoryRevision

pytestmark = pytest.mark.django_db(transaction=True)

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
MINUTES = datetime.timedelta(minutes=10)  # so an age is not read at the turn of an hour


@pytest.fixture
def moderator(transactional_db):
    return make_directory_moderator()


def _aged(obj, **fields):
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    return obj


def _fill_queues() -> None:
    now = timezone.now()
    make_story(
        status=Story.Status.PENDING,
        title="The oldest waiting story",
        email_confirmed_at=now - 2 * DAY - HOUR,
    )
    make_story(
        status=Story.Status.PENDING,
        title="A newer waiting story",
        email_confirmed_at=now - 5 * HOUR,
    )
    published = make_story(title="A published story")
    _aged(
        StoryRevision.objects.create(story=published, proposed={"title": "Edited"}),
        submitted_at=now - 3 * HOUR - MINUTES,
    )
    _aged(
        FollowUp.objects.create(
            story=published, result="same", reported_on=datetime.date(2012, 3, 1)
        ),
        submitted_at=now - 4 * DAY - HOUR,
    )
    _aged(
        Comment.objects.create(
            target=published, name="Held", body="Waiting.", status=Comment.Status.PENDING
        ),
        created_at=now - 6 * HOUR - MINUTES,
    )
    reported = Comment.objects.create(
        target=published, name="Reported", body="Rude.", status=Comment.Status.PUBLISHED
    )
    _aged(
        CommentReport.objects.create(comment=reported, reason=CommentReport.Reason.ABUSE),
        created_at=now - DAY - HOUR,
    )
    _aged(
        StoryReport.objects.create(story=published, reason=ReportReason.PRIVACY),
        created_at=now - 2 * HOUR - MINUTES,
    )
    _aged(
        EntrySuggestion.objects.create(
            kind=EntrySuggestion.Kind.NEW, name="Dr Example", status=EntrySuggestion.Status.PENDING
        ),
        submitted_at=now - 7 * DAY - HOUR,
    )


@pytest.mark.browser
def test_a_moderator_sees_what_waits_and_opens_a_queue(
    live_server, page: Page, moderator, totp_secret
):
    _fill_queues()

    sign_in_as_moderator(page, live_server.url, moderator, totp_secret)

    panel = page.get_by_role("region", name="What is waiting")
    expect(panel).to_be_visible()
    items = panel.get_by_role("listitem")
    expected = [
        r"2 stories awaiting review · oldest waiting 2\sdays",
        r"1 edit of a published story · oldest waiting 3\shours",
        r"1 follow-up waiting · oldest waiting 4\sdays",
        r"1 comment waiting · oldest waiting 6\shours",
        r"1 reported comment · oldest waiting 1\sday",
        r"1 reported story · oldest waiting 2\shours",
        r"1 directory suggestion waiting · oldest waiting 1\sweek",
    ]
    expect(items).to_have_count(len(expected))
    for i, words in enumerate(expected):
        # "since 3 Dec 2026 06:27"
        since = r", since \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d$"
        expect(items.nth(i)).to_have_text(re.compile("^" + words + since))
    expect(panel.locator("time").first).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
    )
    assert_no_axe_violations(page, "moderation home")

    # Every link is a comfortable target.
    links = panel.get_by_role("link")
    expect(links).to_have_count(len(expected))
    for i in range(len(expected)):
        assert links.nth(i).bounding_box()["height"] >= 44

    # At 200% zoom (half the width in CSS pixels) the panel still fits: no sideways scrolling.
    page.set_viewport_size({"width": 640, "height": 720})
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 640
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 640
    assert_no_axe_violations(page, "moderation home, narrow")
    page.set_viewport_size({"width": 1280, "height": 720})

    panel.get_by_role("link", name="2 stories awaiting review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("story awaiting review"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("The oldest waiting story")
    expect(rows.nth(1)).to_contain_text("A newer waiting story")
    assert_no_axe_violations(page, "stories awaiting review, from the home")
