import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from discussion import services
from discussion.models import BlockedTerm, Comment, Commenter
from discussion.tests.helpers import (
    comment_data,
    confirm_from_outbox,
    rendered_seconds_ago,
    write_url,
)
from hindsight.testing import make_moderator, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_story(email_confirmed_at=timezone.now())


@pytest.fixture
def moderator():
    return make_moderator()


def _trust(client, story, moderator, email="jo@example.org") -> Comment:
    """Post, confirm in this browser, and have a moderator approve: the commenter is trusted."""
    client.post(write_url(story), comment_data(email=email))
    confirm_from_outbox(client)
    comment = Comment.objects.filter(commenter__email=email).latest("id")
    services.comment_approve(comment=comment, moderator=moderator)
    return comment


def test_a_first_comment_waits_for_email_confirmation_then_for_a_moderator(client, story):
    response = client.post(write_url(story), comment_data())

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.UNCONFIRMED
    assert "/comments/confirm/" in mail.outbox[-1].body
    confirm_from_outbox(client)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "Did the fatigue come back" not in client.get(story.get_absolute_url()).content.decode()


def test_once_approved_later_comments_from_the_same_browser_publish_at_once(
    client, story, moderator
):
    _trust(client, story, moderator)

    client.post(write_url(story), comment_data(body="A second thought, posted at once."))

    comment = Comment.objects.latest("id")
    assert comment.status == Comment.Status.PUBLISHED
    assert "A second thought" in client.get(story.get_absolute_url()).content.decode()


def test_a_trusted_address_from_another_browser_must_confirm_again(client, story, moderator):
    from django.test import Client

    _trust(client, story, moderator)
    other_browser = Client()
    other_browser.post(write_url(story), comment_data(body="Is this really Jo?"))

    assert Comment.objects.latest("id").status == Comment.Status.UNCONFIRMED


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"rendered_at": "ONE_SECOND_AGO"}, "too_fast"),
        ({"rendered_at": "forged"}, "too_fast"),
        ({"body": "See http://a.example http://b.example http://c.example now"},
         "too_many_links"),
        ({"body": "Call our clinic for a cheap liberation procedure"}, "blocked_word:cheap"),
        ({"body": "Book at https://shop.spamclinic.example/offer today"},
         "blocked_domain:spamclinic.example"),
    ],
)
def test_rules_hold_even_a_trusted_commenters_comment(client, story, moderator, overrides,
                                                       reason):
    BlockedTerm.objects.create(kind="word", value="cheap")
    BlockedTerm.objects.create(kind="domain", value="spamclinic.example")
    _trust(client, story, moderator)
    if overrides.get("rendered_at") == "ONE_SECOND_AGO":
        overrides = {"rendered_at": rendered_seconds_ago(1)}  # made now, not at collection

    client.post(write_url(story), comment_data(**overrides))

    comment = Comment.objects.latest("id")
    assert comment.status == Comment.Status.PENDING
    assert reason in comment.hold_reasons


def test_the_honeypot_marks_spam_but_answers_like_a_held_comment(client, story, moderator):
    _trust(client, story, moderator)

    response = client.post(write_url(story), comment_data(website="http://spam.example"),
                           follow=True)

    assert Comment.objects.latest("id").status == Comment.Status.SPAM
    assert "confirm your address" in response.content.decode()


def test_too_many_comments_get_a_429_and_keep_what_was_typed(client, story):
    for n in range(5):
        assert client.post(write_url(story), comment_data(body=f"Comment {n} here")
                           ).status_code == 302
    response = client.post(write_url(story), comment_data(body="The sixth, kept on the page"))

    assert response.status_code == 429
    html = response.content.decode()
    assert "Please wait ten minutes" in html
    assert "The sixth, kept on the page" in html
    assert Comment.objects.count() == 5


def test_the_limit_is_per_email_too(client, story):
    from django.test import Client

    for n in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(write_url(story), comment_data())
    response = Client(REMOTE_ADDR="10.0.0.99").post(write_url(story), comment_data())

    assert response.status_code == 429


def test_a_reply_to_a_reply_joins_its_thread(client, story, moderator):
    first = _trust(client, story, moderator)
    client.post(write_url(story), comment_data(body="A reply to the first", reply_to=first.pk))
    reply = Comment.objects.latest("id")
    client.post(write_url(story), comment_data(body="A reply to the reply", reply_to=reply.pk))

    assert Comment.objects.latest("id").parent_id == first.pk


def test_the_story_author_is_marked(client, story, moderator):
    _trust(client, story, moderator, email=story.email)

    client.post(write_url(story), comment_data(email=story.email, body="Yes, it came back."))

    comment = Comment.objects.latest("id")
    assert comment.by_story_author
    assert "Story author" in client.get(story.get_absolute_url()).content.decode()


def test_someone_using_the_authors_address_unproven_is_not_marked(client, story):
    client.post(write_url(story), comment_data(email=story.email))

    assert not Comment.objects.get().by_story_author


def test_closed_comments_refuse_new_ones(client, story, moderator):
    services.discussion_close(target=story, moderator=moderator)

    response = client.post(write_url(story), comment_data())

    assert "Comments are closed" in response.content.decode()
    assert not Comment.objects.exists()
    assert "Comments are closed" in client.get(story.get_absolute_url()).content.decode()


def test_no_comments_on_a_story_that_is_not_published(client):
    story = make_story(status="pending")

    assert client.get(write_url(story)).status_code == 404
    assert client.post(write_url(story), comment_data()).status_code == 404


def test_htmx_gets_a_fragment_not_a_page(client, story):
    response = client.post(write_url(story), comment_data(), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "confirm your address" in html


def test_the_story_page_stays_cacheable_with_comments(client, story, moderator):
    _trust(client, story, moderator)
    from django.test import Client

    response = Client().get(story.get_absolute_url())

    assert response["Cache-Control"] == "public, max-age=60"
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_a_commenter_can_edit_and_delete_from_the_same_browser_for_a_while(client, story,
                                                                          moderator):
    _trust(client, story, moderator)
    client.post(write_url(story), comment_data(body="Typo in thsi one"))
    comment = Comment.objects.latest("id")

    client.post(reverse("discussion:edit", args=[comment.pk]), {"body": "Typo fixed in this one"})
    comment.refresh_from_db()
    assert comment.body == "Typo fixed in this one" and comment.edited_at

    from django.test import Client

    assert Client().get(reverse("discussion:edit", args=[comment.pk])).status_code == 404
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert client.get(reverse("discussion:edit", args=[comment.pk])).status_code == 404
    client.post(reverse("discussion:delete", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED


def test_bad_input_gets_messages_and_keeps_the_text(client, story):
    response = client.post(write_url(story), comment_data(name="  ", email="nope",
                                                          body="x" * 5001))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "email", "body"}
    assert "x" * 100 in response.content.decode()
    assert not Comment.objects.exists() and not Commenter.objects.exists()
