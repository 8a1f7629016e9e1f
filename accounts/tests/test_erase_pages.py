"""The erase pages say what happens to comments before anyone presses the button: the comments
on the story (or on all of the person's stories) go with it, and the person's own comments on
other people's stories are deleted, or kept without their name. The numbers are counted."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.services import author_for_email
from discussion.models import Comment, Commenter
from hindsight.testing import make_story

pytestmark = pytest.mark.django_db

EMAIL = "anna@example.com"


def comment_on(story, *, email: str = "reader@example.org", status=Comment.Status.PUBLISHED,
               parent: Comment | None = None) -> Comment:
    commenter, _ = Commenter.objects.get_or_create(email=email)
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(story), object_id=story.pk,
        parent=parent, commenter=commenter, name="Reader", body="A reader's words.",
        status=status,
    )


@pytest.fixture
def author():
    return author_for_email(EMAIL)


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_erasing_a_story_says_its_comments_go_with_it_counting_them(client, author):
    story = make_story(author=author, email=EMAIL)
    first = comment_on(story)
    comment_on(story, parent=first)
    comment_on(story, status=Comment.Status.PENDING)
    comment_on(make_story(title="Another story"))  # not on this story
    client.force_login(author)

    text = page_text(client, reverse("accounts:story-erase", args=[story.pk]))

    assert "The 3 comments readers wrote on it are erased with it" in text


def test_one_comment_is_said_in_the_singular_and_none_is_not_mentioned(client, author):
    story = make_story(author=author, email=EMAIL)
    bare = make_story(author=author, email=EMAIL, title="No comments here")
    comment_on(story)
    client.force_login(author)

    assert "The 1 comment a reader wrote on it is erased with it" in page_text(
        client, reverse("accounts:story-erase", args=[story.pk])
    )
    bare_text = page_text(client, reverse("accounts:story-erase", args=[bare.pk]))
    assert "wrote on it" not in bare_text and "The 0" not in bare_text


def test_erasing_everything_tells_apart_comments_on_your_stories_and_your_own_elsewhere(
    client, author
):
    mine = make_story(author=author, email=EMAIL)
    comment_on(mine)
    comment_on(mine, email="sam@example.org")
    comment_on(mine, email=EMAIL)  # the author's own answer on their story goes with it
    elsewhere = make_story(title="Someone else's story", email="bea@example.org")
    comment_on(elsewhere, email=EMAIL)
    client.force_login(author)

    text = page_text(client, reverse("accounts:erase-me"))

    assert "the 3 comments on your stories, which are erased with them;" in text
    assert ("your 1 comment on other people's stories (or only your name on it, if you choose "
            "below);") in text


def test_erasing_everything_with_no_comments_offers_no_choice_about_them(client, author):
    make_story(author=author, email=EMAIL)
    client.force_login(author)

    text = page_text(client, reverse("accounts:erase-me"))

    assert "comments on your stories" not in text
    assert "Your comments" not in text
