"""Readers report a published story at its own address, as they report a comment: a reason, an
optional note, a limit per address, a thank-you page. The story page itself stays cacheable."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from discussion.forms import ReportForm as CommentReportForm
from discussion.models import CommentReport
from hindsight.hostile import Page
from hindsight.testing import make_story, make_treatment
from stories import views
from stories.choices import ReportReason
from stories.forms import ReaderReportForm, StoryReportForm
from stories.models import Story, StoryReport
from stories.reports import story_report, story_reports_resolve

pytestmark = pytest.mark.django_db

NOTE = "It names the nurse who looked after me, with her town."


@pytest.fixture
def story():
    return make_story(make_treatment(), title="Warmer hands after Katowice")


def report_url(story) -> str:
    return reverse("stories:report", args=[story.slug])


def refused(response, note: str) -> None:
    """A refusal: the page again, a message, the note as typed, nothing stored."""
    html = response.content.decode()
    assert "There is a problem" in html
    assert Page(html).textareas["id_note"] == note
    assert not StoryReport.objects.exists()


def test_the_story_page_links_to_the_report_page_and_stays_cacheable(client, story):
    response = client.get(story.get_absolute_url())

    html = response.content.decode()
    assert f'href="/stories/{story.slug}/report/" rel="nofollow"' in html
    assert ">Report this story<" in html
    assert response["Cache-Control"] == "public, max-age=60"
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in html


def test_the_report_page_asks_for_a_reason_and_a_note_and_is_never_cached(client, story):
    response = client.get(report_url(story))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "What is wrong with this story?" in html
    for value, label in ReportReason.choices:
        assert f'value="{value}"' in html and str(label) in html
    assert "Anything a moderator should know" in html
    assert "csrfmiddlewaretoken" in html
    # No maxlength: a browser would cut a longer paste without saying so.
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert 'name="note"' in textarea and "maxlength" not in textarea
    assert 'aria-describedby="id_note_helptext"' in textarea


def test_a_report_is_stored_and_the_reader_thanked(client, story):
    response = client.post(report_url(story), {"reason": "privacy", "note": NOTE})

    assert response.status_code == 302
    assert response["Location"] == reverse("stories:report-sent", args=[story.slug])
    report = StoryReport.objects.get()
    assert (report.story, report.reason, report.note, report.resolved) == (
        story, "privacy", NOTE, False)
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you: a moderator will look at it" in thanks
    assert f'href="{story.get_absolute_url()}"' in thanks


def test_the_note_is_optional(client, story):
    client.post(report_url(story), {"reason": "spam", "note": ""})

    assert StoryReport.objects.get().note == ""


@pytest.mark.parametrize("reason", ["", "nonsense", "<b>spam</b>", "SPAM"])
def test_a_missing_or_unknown_reason_is_refused_and_the_note_kept(client, story, reason):
    response = client.post(report_url(story), {"reason": reason, "note": NOTE})

    assert response.status_code == 200
    refused(response, NOTE)
    html = response.content.decode()
    group = re.search(r'<fieldset[^>]*id="id_reason-group"[^>]*>', html).group(0)
    assert "id_reason_error" in group.split("aria-describedby=")[1]
    assert '<p class="error-message" id="id_reason_error">' in html
    if reason:
        assert "Select a valid choice." in html
    else:
        assert "Choose what is wrong, even if it is “Something else”." in html


def test_a_note_over_1000_characters_is_refused_and_kept_whole(client, story):
    note = "x" * 999 + "\N{DOG}\N{CAT}"  # 1,001 characters, two of them outside the BMP

    response = client.post(report_url(story), {"reason": "other", "note": note})

    assert response.status_code == 200
    refused(response, note)
    assert "Shorten the note to 1,000 characters or fewer: it has 1001." in (
        response.content.decode())
    client.post(report_url(story), {"reason": "other", "note": note[:1000]})
    assert len(StoryReport.objects.get().note) == 1000


@pytest.mark.parametrize("note", ["Look at the name \u202eoN reganaM", "null\x00byte"])
def test_direction_controls_and_null_characters_are_refused(client, story, note):
    response = client.post(report_url(story), {"reason": "other", "note": note})

    assert response.status_code == 200
    refused(response, note)


def test_markup_in_a_note_is_kept_as_text_and_never_rendered(client, story):
    note = '<script>alert(1)</script><img src=x onerror=alert(2)>'

    response = client.post(report_url(story), {"reason": "bogus", "note": note})

    page = Page(response.content.decode())
    assert not page.handlers and not page.script_urls
    assert page.textareas["id_note"] == note
    client.post(report_url(story), {"reason": "other", "note": note})
    assert StoryReport.objects.get().note == note


@pytest.mark.parametrize("change", [
    {"status": Story.Status.PENDING}, {"status": Story.Status.REJECTED},
    {"status": Story.Status.WITHDRAWN}, {"status": Story.Status.UNCONFIRMED},
    {"consent_publish": False},
])
def test_a_story_that_is_not_public_cannot_be_reported(client, story, change):
    Story.objects.filter(pk=story.pk).update(**change)

    assert client.get(report_url(story)).status_code == 404
    assert client.post(report_url(story), {"reason": "spam"}).status_code == 404
    assert client.get("/stories/no-such-story/report/").status_code == 404
    assert not StoryReport.objects.exists()


def test_too_many_reports_from_one_address_get_429_with_the_note_kept(
    client, story, monkeypatch
):
    monkeypatch.setattr(views, "REPORTS_PER_WINDOW", 2)
    for _ in range(2):
        client.post(report_url(story), {"reason": "spam"}, REMOTE_ADDR="203.0.113.7")

    response = client.post(report_url(story), {"reason": "other", "note": NOTE},
                           REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert "Please wait ten minutes" in html and "what you wrote is still here" in html
    assert Page(html).textareas["id_note"] == NOTE
    assert 'value="other" id="id_reason_4" checked' in html
    assert StoryReport.objects.count() == 2
    # Another address is counted apart.
    other = client.post(report_url(story), {"reason": "other", "note": NOTE},
                        REMOTE_ADDR="203.0.113.8")
    assert other.status_code == 302


def test_the_thank_you_page_of_a_story_taken_down_since_only_says_thank_you(client, story):
    Story.objects.filter(pk=story.pk).update(status=Story.Status.WITHDRAWN)

    response = client.get(reverse("stories:report-sent", args=[story.slug]))

    assert response.status_code == 200
    assert story.title not in response.content.decode()


def test_the_service_checks_what_it_stores():
    story = make_story()
    for bad in ({"reason": "nonsense"}, {"reason": "spam", "note": "x" * 1001},
                {"reason": "spam", "note": "\u2066hidden"}, {"reason": "spam", "note": "a\x00b"}):
        with pytest.raises(ValidationError):
            story_report(story=story, **bad)
    assert not StoryReport.objects.exists()


def test_resolving_marks_only_that_storys_open_reports():
    first, second = make_story(title="First"), make_story(title="Second")
    story_report(story=first, reason="spam")
    story_report(story=first, reason="danger", note="Says to stop all medicine.")
    story_report(story=second, reason="abuse")

    assert story_reports_resolve(story=first) == 2
    assert story_reports_resolve(story=first) == 0
    assert list(StoryReport.objects.filter(resolved=False).values_list("story", flat=True)) == [
        second.pk]


def test_story_and_comment_reports_share_one_vocabulary_and_one_form():
    assert CommentReport.Reason is ReportReason
    assert CommentReport._meta.get_field("reason").choices == StoryReport._meta.get_field(
        "reason").choices
    assert issubclass(CommentReportForm, ReaderReportForm)
    assert issubclass(StoryReportForm, ReaderReportForm)
    assert str(CommentReportForm()["reason"].label) == "What is wrong with this comment?"
    assert str(StoryReportForm()["reason"].label) == "What is wrong with this story?"
