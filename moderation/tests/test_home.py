"""The moderation home: each queue with how many wait and since when, counted by
`moderation.selectors.moderation_queues` and shown above the admin's app list; site-wide dates
as "3 Dec 2026 06:27"."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command

from directory.models import EntrySuggestion
from directory.tests.helpers import make_directory_moderator
from discussion.models import Comment, CommentReport
from followups.models import FollowUp
from hindsight.testing import make_moderator, make_story, sign_in_moderator
from moderation.selectors import moderation_queues
from stories.choices import ReportReason
from stories.models import Story, StoryReport, StoryRevision

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 5, 6, 27, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
ALL_KEYS = [
    "stories",
    "edits",
    "followups",
    "comments",
    "reported_comments",
    "reported_stories",
    "suggestions",
]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def moderator():
    return make_directory_moderator()


def _set(obj, **fields) -> None:
    """Set fields the model fills itself (auto_now_add), as if the row were older."""
    type(obj).objects.filter(pk=obj.pk).update(**fields)


def _pending_story(confirmed_ago: datetime.timedelta, title="Waiting story") -> Story:
    return make_story(
        status=Story.Status.PENDING, title=title, email_confirmed_at=NOW - confirmed_ago
    )


def _comment(story, status, posted_ago, name="Sam") -> Comment:
    comment = Comment.objects.create(target=story, name=name, body="What I think.", status=status)
    _set(comment, created_at=NOW - posted_ago)
    return comment


def _report(comment, reported_ago, resolved=False) -> CommentReport:
    report = CommentReport.objects.create(
        comment=comment, reason=CommentReport.Reason.SPAM, resolved=resolved
    )
    _set(report, created_at=NOW - reported_ago)
    return report


def _story_report(story, reported_ago, resolved=False) -> StoryReport:
    report = StoryReport.objects.create(
        story=story, reason=ReportReason.PRIVACY, resolved=resolved
    )
    _set(report, created_at=NOW - reported_ago)
    return report


def _followup(story, status, sent_ago) -> FollowUp:
    followup = FollowUp.objects.create(
        story=story, status=status, result="same", reported_on=datetime.date(2012, 3, 1)
    )
    _set(followup, submitted_at=NOW - sent_ago)
    return followup


def _revision(story, status, sent_ago) -> StoryRevision:
    revision = StoryRevision.objects.create(
        story=story, status=status, proposed={"title": "A new title"}
    )
    _set(revision, submitted_at=NOW - sent_ago)
    return revision


def _suggestion(status, sent_ago, name="Dr Example") -> EntrySuggestion:
    suggestion = EntrySuggestion.objects.create(
        kind=EntrySuggestion.Kind.NEW, name=name, status=status
    )
    _set(suggestion, submitted_at=NOW - sent_ago)
    return suggestion


def _fill_every_queue() -> None:
    """Rows that wait, and rows beside them that must not be counted."""
    _pending_story(2 * DAY, "Oldest waiting story")
    _pending_story(5 * HOUR, "Newer waiting story")
    make_story(status=Story.Status.UNCONFIRMED, title="Not confirmed yet")
    published = make_story(title="Published story", email_confirmed_at=NOW - 30 * DAY)
    make_story(
        status=Story.Status.REJECTED, title="Rejected story", email_confirmed_at=NOW - 40 * DAY
    )

    _revision(published, StoryRevision.Status.PENDING, 3 * HOUR)
    _revision(published, StoryRevision.Status.APPROVED, 10 * DAY)
    _revision(published, StoryRevision.Status.SUPERSEDED, 9 * DAY)

    _followup(published, FollowUp.Status.PENDING, 4 * DAY)
    _followup(published, FollowUp.Status.PENDING, 1 * HOUR)
    _followup(published, FollowUp.Status.APPROVED, 20 * DAY)

    _comment(published, Comment.Status.PENDING, 6 * HOUR, "Held")
    _comment(published, Comment.Status.UNCONFIRMED, 8 * DAY, "Unconfirmed")
    reported = _comment(published, Comment.Status.PUBLISHED, 12 * DAY, "Reported twice")
    _report(reported, 3 * DAY)
    _report(reported, 1 * DAY)
    _report(_comment(published, Comment.Status.PUBLISHED, 2 * DAY, "Reported once"), 2 * HOUR)
    _report(
        _comment(published, Comment.Status.PUBLISHED, 30 * DAY, "Dealt with"),
        25 * DAY,
        resolved=True,
    )
    _report(_comment(published, Comment.Status.REJECTED, 30 * DAY, "Taken down"), 29 * DAY)

    _story_report(published, 20 * HOUR)
    _story_report(published, 2 * HOUR)
    _story_report(make_story(title="Reported, dealt with"), 3 * DAY, resolved=True)

    _suggestion(EntrySuggestion.Status.PENDING, 7 * DAY, "Oldest suggestion")
    _suggestion(EntrySuggestion.Status.ACCEPTED, 9 * DAY, "Accepted suggestion")


def _counted_from_rows() -> dict[str, tuple[int, datetime.datetime | None]]:
    """The same numbers, worked out apart from the selector: plain filters, min in Python."""

    def summary(times):
        times = list(times)
        return len(times), min(times, default=None)

    open_reports = CommentReport.objects.filter(resolved=False)
    reported = {
        r.comment_id: r for r in open_reports if r.comment.status == Comment.Status.PUBLISHED
    }
    return {
        "stories": summary(
            Story.objects.filter(status="pending").values_list("email_confirmed_at", flat=True)
        ),
        "edits": summary(
            StoryRevision.objects.filter(status="pending").values_list("submitted_at", flat=True)
        ),
        "followups": summary(
            FollowUp.objects.filter(status="pending").values_list("submitted_at", flat=True)
        ),
        "comments": summary(
            Comment.objects.filter(status="pending").values_list("created_at", flat=True)
        ),
        "reported_comments": (
            len(reported),
            min((r.created_at for r in open_reports if r.comment_id in reported), default=None),
        ),
        "reported_stories": (
            len({r.story_id for r in StoryReport.objects.filter(resolved=False)}),
            min((r.created_at for r in StoryReport.objects.filter(resolved=False)), default=None),
        ),
        "suggestions": summary(
            EntrySuggestion.objects.filter(status="pending").values_list("submitted_at", flat=True)
        ),
    }


def _queues(user) -> dict:
    return {queue.key: queue for queue in moderation_queues(user)}


def test_it_counts_each_queue_and_its_oldest_item_as_the_rows_do(moderator):
    _fill_every_queue()

    queues = _queues(moderator)

    expected = _counted_from_rows()
    assert [key for key in queues if key in ALL_KEYS] == ALL_KEYS
    for key in ALL_KEYS:
        assert (queues[key].count, queues[key].oldest) == expected[key], key
    # And the numbers themselves, so that a shared mistake cannot pass unseen.
    assert {key: queues[key].count for key in ALL_KEYS} == {
        "stories": 2,
        "edits": 1,
        "followups": 2,
        "comments": 1,
        "reported_comments": 2,
        "reported_stories": 1,
        "suggestions": 1,
    }
    assert queues["stories"].oldest == NOW - 2 * DAY
    assert queues["reported_comments"].oldest == NOW - 3 * DAY
    assert queues["reported_stories"].oldest == NOW - 20 * HOUR


def test_it_says_how_many_wait_and_for_how_long_in_words(moderator):
    _fill_every_queue()

    queues = _queues(moderator)

    # Ages come from Django's timesince, which keeps a number and its unit together.
    assert queues["stories"].summary == "2 stories awaiting review"
    assert queues["stories"].waited == "2\xa0days"
    assert queues["edits"].summary == "1 edit of a published story"
    assert queues["edits"].waited == "3\xa0hours"
    assert queues["followups"].summary == "2 follow-ups waiting"
    assert queues["comments"].summary == "1 comment waiting"
    assert queues["reported_comments"].summary == "2 reported comments"
    assert queues["reported_stories"].summary == "1 reported story"
    assert queues["suggestions"].summary == "1 directory suggestion waiting"
    assert queues["suggestions"].waited == "1\xa0week"


def test_an_empty_queue_says_nothing_waiting(client, moderator):
    queues = _queues(moderator)

    assert all(queue.count == 0 and queue.oldest is None for queue in queues.values())
    assert queues["stories"].summary == "Stories awaiting review: nothing waiting"

    sign_in_moderator(client, moderator)
    page = client.get("/moderation/").content.decode()
    assert page.count("nothing waiting") == len(queues)
    assert "oldest waiting" not in page


def test_a_moderator_without_a_permission_does_not_see_that_queue(client):
    moderator = make_moderator()  # the stories, follow-ups and comments; not the directory
    _fill_every_queue()

    assert "suggestions" not in _queues(moderator)

    comments = Permission.objects.filter(codename__in=["view_comment", "change_comment"])
    Group.objects.get(name="Moderators").permissions.remove(*comments)
    moderator = type(moderator).objects.get(pk=moderator.pk)  # forget the cached permissions
    assert set(_queues(moderator)) == {"stories", "edits", "followups", "reported_stories"}

    sign_in_moderator(client, moderator)
    page = client.get("/moderation/").content.decode()
    assert "2 stories awaiting review" in page
    assert "comment" not in page.split('id="waiting"')[1].split("</section>")[0]
    assert "directory suggestion" not in page


def test_someone_who_may_see_no_queue_gets_no_panel(client):
    staff = make_moderator()
    Group.objects.get(name="Moderators").permissions.clear()
    sign_in_moderator(client, staff)

    assert moderation_queues(type(staff).objects.get(pk=staff.pk)) == []
    assert 'id="waiting"' not in client.get("/moderation/").content.decode()


def test_it_counts_with_one_query_a_queue(moderator, django_assert_max_num_queries):
    _fill_every_queue()
    queues = moderation_queues(moderator)  # the permissions are now cached on the user

    with django_assert_max_num_queries(len(queues)):
        moderation_queues(moderator)


def test_the_home_page_shows_each_count_its_age_and_a_link(client, moderator):
    _fill_every_queue()
    sign_in_moderator(client, moderator)

    response = client.get("/moderation/")

    page = response.content.decode()
    assert "<h1>Moderation and content</h1>" in page
    panel = page.split('id="waiting"')[1].split("</section>")[0]
    assert "What is waiting" in panel
    # Above the app list.
    assert page.index('id="waiting"') < page.index('class="app-stories')
    for queue in response.context["moderation_queues"]:
        assert f'<a href="{queue.url.replace("&", "&amp;")}">{queue.summary}</a>' in panel
    assert re.search(
        r"2 stories awaiting review</a>\s*<span[^>]*>· oldest waiting 2\xa0days, since "
        r'<time datetime="2026-12-03T06:27:00\+00:00">3 Dec 2026 06:27</time>',
        panel,
    ), panel
    assert "1 edit of a published story</a>" in panel
    assert "oldest waiting 3\xa0hours" in panel


def test_each_link_opens_a_list_of_exactly_that_many_oldest_first(client, moderator):
    _fill_every_queue()
    sign_in_moderator(client, moderator)
    since = {
        "stories": "email_confirmed_at",
        "edits": "submitted_at",
        "followups": "submitted_at",
        "comments": "created_at",
        "reported_comments": "created_at",
        "reported_stories": "submitted_at",
        "suggestions": "submitted_at",
    }

    for queue in moderation_queues(moderator):
        response = client.get(queue.url)
        assert response.status_code == 200, queue.key
        listed = list(response.context["cl"].result_list)
        assert response.context["cl"].result_count == queue.count, queue.key
        assert len(listed) == queue.count, queue.key
        times = [getattr(row, since[queue.key]) for row in listed]
        assert times == sorted(times), queue.key


def test_a_reported_comment_leaves_the_count_once_its_reports_are_dealt_with(moderator):
    story = make_story()
    comment = _comment(story, Comment.Status.PUBLISHED, 3 * DAY)
    _report(comment, 2 * DAY)
    _report(comment, 1 * DAY)
    assert _queues(moderator)["reported_comments"].count == 1

    comment.reports.update(resolved=True)

    assert _queues(moderator)["reported_comments"].count == 0


def test_a_reported_story_counts_once_until_its_reports_are_dealt_with(moderator):
    story = make_story()
    _story_report(story, 5 * HOUR)
    _story_report(story, 1 * HOUR)
    _story_report(make_story(title="Dealt with"), 2 * DAY, resolved=True)

    queue = _queues(moderator)["reported_stories"]
    assert (queue.count, queue.oldest) == (1, NOW - 5 * HOUR)

    story.reports.update(resolved=True)

    assert _queues(moderator)["reported_stories"].count == 0


def test_the_digest_lists_what_the_home_page_counts(moderator):
    _fill_every_queue()
    mail.outbox.clear()

    call_command("send_moderation_digest", verbosity=0)

    message = next(m for m in mail.outbox if m.to == [moderator.email])
    for queue in moderation_queues(moderator):
        assert f"{queue.summary} · oldest waiting {queue.waited}" in message.body


def test_the_digest_is_not_sent_when_nothing_waits(moderator):
    mail.outbox.clear()

    call_command("send_moderation_digest", verbosity=0)

    assert not mail.outbox


def test_a_datetime_on_an_admin_page_reads_day_month_year_and_24_hour_time(client, moderator):
    story = _pending_story(datetime.timedelta(0))
    _set(
        story,
        email_confirmed_at=datetime.datetime(2026, 12, 3, 6, 27, tzinfo=datetime.UTC),
        submitted_at=datetime.datetime(2026, 12, 2, 18, 5, tzinfo=datetime.UTC),
    )
    sign_in_moderator(client, moderator)

    change = client.get(f"/moderation/stories/story/{story.pk}/change/").content.decode()
    queue = client.get("/moderation/stories/storyawaitingreview/").content.decode()

    assert "3 Dec 2026 06:27" in change
    assert "2 Dec 2026 18:05" in change
    assert "3 Dec 2026 06:27" in queue
    assert "a.m." not in change + queue and "p.m." not in change + queue
