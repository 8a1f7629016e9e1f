"""The ways a removed detail came back, found by trying to break moderation from outside: a
page opened before someone else changed the item, an author's edit made before a moderator's
correction, a title's words left in the address, a writer's own edit after a moderator's, and
reports nobody can clear. Each test goes through HTTP as the people involved would."""

import json

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from discussion import browser
from discussion.models import Comment
from discussion.services import commenter_for
from hindsight.testing import admin_form_data, make_moderator, make_story, sign_in_moderator
from moderation.selectors import moderation_queues
from stories import services
from stories.models import Story, StoryRevision
from stories.reports import story_report

pytestmark = pytest.mark.django_db

NAME = "Jan Kowalski"


def _moderator_client(username: str) -> Client:
    client = Client()
    sign_in_moderator(client, make_moderator(username))
    return client


@pytest.fixture
def two_moderators():
    return _moderator_client("a"), _moderator_client("b")


def _page(client: Client, story: Story, admin: str = "storyawaitingreview") -> tuple[str, dict]:
    url = reverse(f"admin:stories_{admin}_change", args=[story.pk])
    return url, admin_form_data(client.get(url))


def test_a_page_opened_before_another_moderators_edit_cannot_publish_it(two_moderators):
    first, second = two_moderators
    story = make_story(status=Story.Status.PENDING, body=f"My husband {NAME} drove me.")
    url, opened_by_first = _page(first, story)
    url, opened_by_second = _page(second, story)
    second.post(url, {**opened_by_second, "body": "My husband drove me."})

    response = first.post(url, {**opened_by_first, "_publish": "1"})

    assert response.status_code == 200
    assert "Someone changed this since you opened it" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Story.Status.PENDING
    assert story.body == "My husband drove me."
    # Opened again, it shows the current version and publishes it.
    url, reopened = _page(first, story)
    assert first.post(url, {**reopened, "_publish": "1"}).status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED and NAME not in story.body


def test_a_page_opened_before_the_author_edited_cannot_put_back_what_they_removed(
    two_moderators
):
    moderator, _ = two_moderators
    story = make_story(status=Story.Status.PENDING, body=f"We live at 12 Baker Street, {NAME}.")
    url, opened = _page(moderator, story)
    edited = Story.objects.get(pk=story.pk)
    edited.body = "We live in the city."
    services.story_author_edit(story=story, edited=edited)

    moderator.post(url, {**opened, "_publish": "1"})

    story.refresh_from_db()
    assert story.body == "We live in the city."
    assert story.status == Story.Status.PENDING


def test_a_page_opened_before_another_moderator_rejected_cannot_overturn_it(two_moderators):
    first, second = two_moderators
    story = make_story(status=Story.Status.PENDING, body=f"{NAME} is my neighbour.")
    url, opened = _page(first, story)
    reject_url = reverse("admin:stories_storyawaitingreview_reject", args=[story.pk])
    second.post(reject_url, {"reason": "identifying", "note": ""})

    first.post(reverse("admin:stories_story_change", args=[story.pk]),
               {**opened, "_publish": "1"})

    story.refresh_from_db()
    assert story.status == Story.Status.REJECTED


def test_approving_an_older_authors_edit_keeps_a_moderators_later_removal(two_moderators):
    moderator, _ = two_moderators
    story = make_story(body=f"My neighbour {NAME} drove me.", display_name="Anna")
    edited = Story.objects.get(pk=story.pk)
    edited.display_name = "Anna K"
    services.story_author_edit(story=story, edited=edited)
    story_report(story=story, reason="privacy")
    url, opened = _page(moderator, story, admin="story")
    moderator.post(url, {**opened, "body": "My neighbour drove me.", "_publish": "1"})

    revision = StoryRevision.objects.get()
    url = reverse("admin:stories_storyrevision_change", args=[revision.pk])
    response = moderator.post(url, {**admin_form_data(moderator.get(url)), "_publish": "1"})

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.display_name == "Anna K"
    assert story.body == "My neighbour drove me."


def test_a_name_taken_out_of_the_title_leaves_the_address(two_moderators):
    moderator, _ = two_moderators
    story = make_story(title=f"How {NAME} helped me")
    old_address = story.get_absolute_url()
    story_report(story=story, reason="privacy")
    url, opened = _page(moderator, story, admin="story")

    moderator.post(url, {**opened, "title": "How a neighbour helped me", "_publish": "1"})

    story.refresh_from_db()
    assert "kowalski" not in story.slug
    assert Client().get(old_address).status_code == 404
    page = Client().get(story.get_absolute_url())
    assert page.status_code == 200
    assert "kowalski" not in Client().get("/sitemap-stories.xml").content.decode().lower()


def test_reports_of_a_story_its_author_withdrew_leave_the_queue():
    story = make_story()
    story_report(story=story, reason="privacy")
    moderator = make_moderator()
    counts = {q.key: q.count for q in moderation_queues(moderator)}
    assert counts["reported_stories"] == 1

    services.story_withdraw(story=story)

    counts = {q.key: q.count for q in moderation_queues(moderator)}
    assert counts["reported_stories"] == 0


def test_a_writer_cannot_edit_back_what_a_moderator_took_out_of_their_comment():
    story = make_story()
    key = "the-writers-browser-key"
    writer = Client()
    writer.cookies[browser.COOKIE] = signing.get_cookie_signer(
        salt=browser.COOKIE + browser.SALT).sign(json.dumps({"key": key}))
    comment = Comment.objects.create(
        target=story, commenter=commenter_for("jo@example.org"), name="Jo",
        body="Ring me on 020 7946 0958.", status=Comment.Status.PUBLISHED,
        edit_key_hash=browser.key_hash({"key": key}),
    )
    edit_page = reverse("discussion:edit", args=[comment.pk])
    assert writer.get(edit_page).status_code == 200  # their own, a moment ago
    moderator = _moderator_client("m")
    url = reverse("admin:discussion_comment_change", args=[comment.pk])
    moderator.post(url, {**admin_form_data(moderator.get(url)), "body": "Ring me.",
                         "_publish": "1"})

    assert writer.get(edit_page).status_code == 404
    response = writer.post(edit_page, {"body": "Ring me on 020 7946 0958."})
    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Ring me."


@pytest.mark.parametrize("address", ["abc", "1x", "99999999"])
def test_a_bad_reject_address_is_not_found(two_moderators, address):
    moderator, _ = two_moderators
    response = moderator.get(f"/moderation/stories/story/{address}/reject/")
    assert response.status_code == 404
