"""Bad input through the moderators' own forms: the text a moderator types over an author's
edit or a comment before pressing "Save and publish". Each string is either published exactly
(as Django trims it) or refused with a message and kept in the box; never a 500, never a
half-taken decision, and the page the public then reads never gains script."""

import pytest
from django.test import Client
from django.urls import reverse

from discussion.models import Comment
from discussion.services import commenter_for
from hindsight.hostile import Page, load_corpora
from hindsight.testing import make_moderator, make_story, sign_in_moderator
from stories import services
from stories.models import Story, StoryRevision

pytestmark = pytest.mark.django_db

# Every fourth string of both corpora keeps the run short while covering each kind of string.
SAMPLE = load_corpora()[::4]


def _no_script(html: str) -> list[str]:
    page = Page(html)
    return page.handlers + page.script_urls


def _send_back(client: Client, url: str, **typed) -> tuple:
    page = Page(client.get(url).content.decode())
    data = {**page.form_values, **typed, "_publish": "1"}
    return client.post(url, data)


@pytest.fixture
def signed_in(client):
    sign_in_moderator(client, make_moderator())
    return client


def test_an_authors_edit_typed_over_by_a_moderator(signed_in):
    story = make_story(title="Warm hands")
    baseline = _no_script(Client().get(story.get_absolute_url()).content.decode())
    problems = []
    for corpus, index, text in SAMPLE:
        label = f"{corpus}[{index}] {text[:30]!r}"
        edited = Story.objects.get(pk=story.pk)
        edited.body = "An honest update."
        services.story_author_edit(story=story, edited=edited)
        revision = StoryRevision.objects.get(status=StoryRevision.Status.PENDING)
        url = reverse("admin:stories_storyrevision_change", args=[revision.pk])

        response = _send_back(signed_in, url, body=text)

        revision.refresh_from_db()
        story.refresh_from_db()
        if response.status_code == 302:
            if revision.status != StoryRevision.Status.APPROVED or story.body != text.strip():
                problems.append(f"{label}: accepted but not published exactly")
        elif response.status_code == 200:
            if revision.status != StoryRevision.Status.PENDING:
                problems.append(f"{label}: refused but decided")
            if Page(response.content.decode()).textareas.get("id_body") != text:
                problems.append(f"{label}: refused and the typing was lost")
            if "errorlist" not in response.content.decode():
                problems.append(f"{label}: refused without saying why")
            StoryRevision.objects.filter(pk=revision.pk).update(
                status=StoryRevision.Status.SUPERSEDED)
        else:
            problems.append(f"{label}: answered {response.status_code}")
        public = Client().get(story.get_absolute_url()).content.decode()
        if _no_script(public) != baseline:
            problems.append(f"{label}: the story page gained script")
    assert not problems, "\n".join(problems)


def test_a_comment_typed_over_by_a_moderator(signed_in):
    story = make_story(title="Warm hands")
    commenter = commenter_for("jo@example.org")
    problems = []
    for corpus, index, text in SAMPLE:
        label = f"{corpus}[{index}] {text[:30]!r}"
        comment = Comment.objects.create(target=story, commenter=commenter, name="Jo",
                                         body="Benign", status=Comment.Status.PENDING)
        url = reverse("admin:discussion_comment_change", args=[comment.pk])

        response = _send_back(signed_in, url, body=text)

        comment.refresh_from_db()
        if response.status_code == 302:
            if comment.status != Comment.Status.PUBLISHED or comment.body != text.strip():
                problems.append(f"{label}: accepted but not published exactly")
        elif response.status_code == 200:
            if comment.status != Comment.Status.PENDING or comment.body != "Benign":
                problems.append(f"{label}: refused but changed")
            if Page(response.content.decode()).textareas.get("id_body") != text:
                problems.append(f"{label}: refused and the typing was lost")
        else:
            problems.append(f"{label}: answered {response.status_code}")
    # Every accepted string is now published on the story page at once.
    public = Client().get(story.get_absolute_url()).content.decode()
    assert not _no_script(public)
    assert not problems, "\n".join(problems)
