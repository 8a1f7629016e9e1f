"""Anti-automation on the forms that had no limit: past the limit each answers 429, forms with
typed text are shown again with a clear message and everything typed, nothing is saved, and
other connections carry on. (Contact, comments, reports and the directory suggestion form have
their own limits and tests; sign-in limits are in test_signin.py.)"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import views as account_views
from accounts.services import author_for_email
from followups import views as followup_views
from followups.models import Baseline, FollowUp
from followups.reminders import follow_up_token
from hindsight.testing import make_story, make_treatment, sign_in_moderator, valid_story_post
from research import views as research_views
from research.models import ExportRequest
from research.tests.helpers import make_researcher
from search import views as search_views
from stories import views as story_views
from stories.models import Story, StoryRevision
from stories.tasks import confirmation_token

pytestmark = pytest.mark.django_db

FOLLOW_UP = {"reported_on": "2012-03-10", "result": "little_better", "symptom_fatigue": "better",
             "relapses_since_last": "1", "new_complications": ["none"], "restenosis": "no",
             "body": "Walking is still easier a year on, though stairs are hard."}


def _assert_refused_with_everything_kept(response, typed: str) -> str:
    assert response.status_code == 429
    html = response.content.decode()
    assert 'class="error-summary"' in html and "from this connection in the last hour" in html
    assert typed in html
    return html


@pytest.fixture
def author_client():
    client = Client()
    client.author = author_for_email("anna@example.com")
    client.force_login(client.author)
    return client


def test_sharing_stories_is_limited_per_connection(client, monkeypatch):
    monkeypatch.setattr(story_views, "SHARES_PER_WINDOW", 2)
    data = valid_story_post(make_treatment(), body="Every word of this story is kept here.")
    for _ in range(2):
        assert client.post(reverse("stories:share"), data).status_code == 302

    response = client.post(reverse("stories:share"), data)

    html = _assert_refused_with_everything_kept(response, "Every word of this story is kept")
    assert "press “Send my story” again" in html
    assert Story.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.9").post(reverse("stories:share"), data)
    assert other.status_code == 302 and Story.objects.count() == 3


def test_a_refused_share_is_shown_again_not_counted_as_a_share(client, monkeypatch):
    """Fixing mistakes in a long form is not sending it: only valid sends count."""
    monkeypatch.setattr(story_views, "SHARES_PER_WINDOW", 1)
    treatment = make_treatment()
    for _ in range(3):
        response = client.post(reverse("stories:share"), valid_story_post(treatment, email="x"))
        assert response.status_code == 200

    assert client.post(reverse("stories:share"), valid_story_post(treatment)).status_code == 302


def test_confirming_is_limited_per_connection(client, monkeypatch):
    monkeypatch.setattr(story_views, "CONFIRMS_PER_WINDOW", 1)
    first, second = (make_story(status=Story.Status.UNCONFIRMED) for _ in range(2))
    client.post(reverse("stories:confirm", args=[confirmation_token(first)]))

    response = client.post(reverse("stories:confirm", args=[confirmation_token(second)]))

    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert "Please wait 60 minutes, then try again." in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    second.refresh_from_db()
    assert second.status == Story.Status.UNCONFIRMED


def test_follow_ups_are_limited_per_connection(author_client, monkeypatch):
    monkeypatch.setattr(followup_views, "SENDS_PER_WINDOW", 1)
    story = make_story(author=author_client.author)
    url = reverse("accounts:followup-add", args=[story.pk])
    assert author_client.post(url, FOLLOW_UP).status_code == 302

    response = author_client.post(url, FOLLOW_UP)

    _assert_refused_with_everything_kept(response, "stairs are hard")
    assert FollowUp.objects.count() == 1


def test_follow_ups_from_a_reminder_link_share_the_limit(client, monkeypatch):
    monkeypatch.setattr(followup_views, "SENDS_PER_WINDOW", 1)
    story = make_story()
    url = reverse("reminders:follow-up", args=[follow_up_token(story)])
    assert client.post(url, FOLLOW_UP).status_code == 302

    response = client.post(url, FOLLOW_UP)

    _assert_refused_with_everything_kept(response, "stairs are hard")
    assert FollowUp.objects.count() == 1


def test_baselines_are_limited_per_connection(author_client, monkeypatch):
    monkeypatch.setattr(followup_views, "SENDS_PER_WINDOW", 1)
    story = make_story(author=author_client.author, procedure_status="booked",
                       treated_year=None, treated_month=None, result="", symptoms={})
    url = reverse("accounts:baseline", args=[story.pk])
    assert author_client.post(url, {"relapses_last_year": "1"}).status_code == 302

    response = author_client.post(url, {"relapses_last_year": "3",
                                        "expectation_notes": "To walk the dog again."})

    _assert_refused_with_everything_kept(response, "To walk the dog again.")
    assert Baseline.objects.get().relapses_last_year == 1


def test_story_edits_are_limited_per_connection(author_client, monkeypatch):
    monkeypatch.setattr(account_views, "EDITS_PER_WINDOW", 1)
    story = make_story(author=author_client.author, title="Original title")
    url = reverse("accounts:story-edit", args=[story.pk])
    data = valid_story_post(make_treatment(), title="A better title")
    for name in ("treatment", "email", "consent_publish", "consent_statistics"):
        data.pop(name)
    assert author_client.post(url, data).status_code == 302

    response = author_client.post(url, {**data, "title": "An even better title"})

    html = _assert_refused_with_everything_kept(response, "An even better title")
    assert "press “Save my changes” again" in html
    assert StoryRevision.objects.get().proposed["title"] == "A better title"


def test_research_exports_are_limited_per_researcher(monkeypatch):
    monkeypatch.setattr(research_views, "EXPORTS_PER_WINDOW", 1)
    treatment = make_treatment()
    client = Client()
    sign_in_moderator(client, make_researcher())
    data = {"treatment": treatment.slug, "format": "csv"}
    assert client.post("/research/export/", data).status_code == 302

    response = client.post("/research/export/", data)

    assert response.status_code == 429 and "Please wait" in response.content.decode()
    assert ExportRequest.objects.count() == 1


def test_search_queries_are_limited_per_connection_but_the_empty_page_is_not(client,
                                                                             monkeypatch):
    monkeypatch.setattr(search_views, "SEARCHES_PER_WINDOW", 2)
    url = reverse("search:search")
    for _ in range(5):
        assert client.get(url).status_code == 200
    for query in ("fatigue", "walking"):
        assert client.get(url, {"q": query}).status_code == 200

    response = client.get(url, {"q": "stairs"})

    assert response.status_code == 429 and response["Retry-After"] == "300"
    assert "Please wait 5 minutes, then try again." in response.content.decode()
    assert response["Cache-Control"] == "no-store"  # a front cache never keeps a refusal
    assert Client(REMOTE_ADDR="192.0.2.9").get(url, {"q": "stairs"}).status_code == 200
