import pytest
from django.urls import reverse

from accounts.services import author_for_email
from hindsight.testing import (
    make_moderator,
    make_story,
    make_treatment,
    sign_in_moderator,
    valid_story_post,
)
from moderation.models import Action, ModerationDecision
from stories import services
from stories.models import Story, StoryRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return author_for_email("anna@example.com")


def _edit_data(**overrides):
    data = valid_story_post(make_treatment(), **overrides)
    for name in ("treatment", "email", "consent_publish", "consent_statistics"):
        data.pop(name, None)
    return data


def test_editing_a_published_story_waits_for_a_moderator_and_the_old_version_stays(
    client, author
):
    story = make_story(author=author, title="Original title", body="Original words " * 3)
    client.force_login(author)

    response = client.post(reverse("accounts:story-edit", args=[story.pk]),
                           _edit_data(title="New title", body="New words, much changed. " * 2))

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Original title" and story.is_public
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Original title" in page and "New title" not in page
    revision = StoryRevision.objects.get()
    assert revision.status == StoryRevision.Status.PENDING
    assert any(row[2] == "New title" for row in revision.changes())

    services.revision_approve(revision=revision, moderator=make_moderator())

    story.refresh_from_db()
    assert story.title == "New title"
    assert "New words" in story.body_html
    decision = ModerationDecision.objects.get(action=Action.APPROVE_EDIT)
    assert "title" in decision.changed_fields and "body" in decision.changed_fields


def test_a_second_edit_replaces_the_first_one_waiting(client, author):
    story = make_story(author=author)
    client.force_login(author)
    url = reverse("accounts:story-edit", args=[story.pk])
    client.post(url, _edit_data(title="First try"))
    assert "First try" in client.get(url).content.decode()  # the form shows the waiting edit
    client.post(url, _edit_data(title="Second try"))

    statuses = dict(StoryRevision.objects.values_list("proposed__title", "status"))
    assert statuses == {"First try": "superseded", "Second try": "pending"}


def test_a_story_nobody_sees_yet_changes_at_once(client, author):
    story = make_story(author=author, status=Story.Status.PENDING, title="Before")
    client.force_login(author)

    client.post(reverse("accounts:story-edit", args=[story.pk]), _edit_data(title="After"))

    story.refresh_from_db()
    assert story.title == "After"
    assert story.status == Story.Status.PENDING
    assert not StoryRevision.objects.exists()


def test_editing_a_rejected_story_sends_it_back_to_the_queue(client, author):
    story = make_story(author=author, status=Story.Status.REJECTED)
    client.force_login(author)

    client.post(reverse("accounts:story-edit", args=[story.pk]), _edit_data(title="Fixed"))

    story.refresh_from_db()
    assert story.status == Story.Status.PENDING


def test_a_bad_edit_keeps_what_was_typed_and_changes_nothing(client, author):
    story = make_story(author=author, title="Kept")
    client.force_login(author)

    response = client.post(reverse("accounts:story-edit", args=[story.pk]),
                           _edit_data(title="Typed title", body="short"))

    assert response.status_code == 200
    assert 'value="Typed title"' in response.content.decode()
    story.refresh_from_db()
    assert story.title == "Kept"
    assert not StoryRevision.objects.exists()


def test_an_edit_cannot_change_status_email_or_consent(client, author):
    story = make_story(author=author, status=Story.Status.PENDING)
    client.force_login(author)

    client.post(reverse("accounts:story-edit", args=[story.pk]),
                _edit_data(status="approved", email="x@example.org", consent_publish="",
                           slug="mine"))

    story.refresh_from_db()
    assert story.status == Story.Status.PENDING
    assert story.email == "anna@example.com" and story.consent_publish and story.slug != "mine"


def test_another_authors_story_cannot_be_edited(client, author):
    story = make_story(author=author)
    stranger = author_for_email("someone@example.org")
    client.force_login(stranger)

    response = client.post(reverse("accounts:story-edit", args=[story.pk]), _edit_data())

    assert response.status_code == 404
    assert not StoryRevision.objects.exists()


def test_moderators_review_edits_in_the_admin(client, author):
    story = make_story(author=author, title="Published")
    services.story_author_edit(story=story, edited=Story(**{
        **{f.name: getattr(story, f.name) for f in Story._meta.concrete_fields
           if f.name not in ("id",)},
        "title": "Proposed",
    }))
    moderator = make_moderator()
    sign_in_moderator(client, moderator)
    changelist = reverse("admin:stories_storyrevision_changelist")
    revision = StoryRevision.objects.get()

    page = client.get(reverse("admin:stories_storyrevision_change", args=[revision.pk]))
    assert "Proposed" in page.content.decode() and "Published" in page.content.decode()
    client.post(changelist, {"action": "reject_selected", "_selected_action": [revision.pk],
                             "reason": "identifying", "note": ""})

    revision.refresh_from_db()
    story.refresh_from_db()
    assert revision.status == StoryRevision.Status.REJECTED
    assert story.title == "Published"


def test_your_stories_says_when_an_edit_is_waiting(client, author):
    story = make_story(author=author)
    client.force_login(author)
    client.post(reverse("accounts:story-edit", args=[story.pk]), _edit_data(title="Changed"))

    html = client.get(reverse("accounts:my-stories")).content.decode()

    assert "your latest edit is waiting for a moderator" in html
