import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from hindsight.testing import make_story, make_treatment, valid_story_post
from moderation.models import Action, ModerationDecision
from stories.models import Story
from stories.tasks import confirmation_token

pytestmark = pytest.mark.django_db


def _link_from_outbox() -> str:
    match = re.search(r"http://[^\s]+/stories/confirm/[^\s]+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return "/" + match.group(0).split("://", 1)[1].split("/", 1)[1]


def test_the_emailed_link_confirms_the_story_into_the_queue(client):
    client.post(reverse("stories:share"), valid_story_post(make_treatment()))
    link = _link_from_outbox()

    page = client.get(link)
    assert page.status_code == 200
    assert Story.objects.get().status == Story.Status.UNCONFIRMED  # GET alone changes nothing

    response = client.post(link)
    story = Story.objects.get()
    assert response.status_code == 200
    assert story.status == Story.Status.PENDING
    assert story.email_confirmed_at is not None
    assert ModerationDecision.objects.filter(action=Action.CONFIRM, object_id=story.pk).exists()


def test_confirming_twice_changes_nothing_more(client):
    story = make_story(status=Story.Status.UNCONFIRMED)
    link = reverse("stories:confirm", args=[confirmation_token(story)])
    client.post(link)
    client.post(link)

    assert ModerationDecision.objects.filter(action=Action.CONFIRM).count() == 1


def test_a_confirmed_link_cannot_reopen_a_rejected_story(client):
    story = make_story(status=Story.Status.REJECTED)
    client.post(reverse("stories:confirm", args=[confirmation_token(story)]))

    story.refresh_from_db()
    assert story.status == Story.Status.REJECTED


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "e30:1abc:xyz", "%00"])
def test_a_bad_link_gets_a_clear_page_not_an_error(client, token):
    response = client.get(f"/stories/confirm/{token}/")

    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "This link does not work" in response.content.decode()


def test_an_old_link_expires(client):
    with time_machine.travel("2026-01-01 12:00Z", tick=False):
        story = make_story(status=Story.Status.UNCONFIRMED)
        link = reverse("stories:confirm", args=[confirmation_token(story)])
    with time_machine.travel("2026-01-09 12:00Z", tick=False):
        response = client.post(link)

    assert response.status_code == 400
    story.refresh_from_db()
    assert story.status == Story.Status.UNCONFIRMED


def test_a_link_for_a_changed_email_no_longer_works(client):
    story = make_story(status=Story.Status.UNCONFIRMED)
    link = reverse("stories:confirm", args=[confirmation_token(story)])
    Story.objects.filter(pk=story.pk).update(email="someone-else@example.com")

    assert client.post(link).status_code == 400


def test_the_link_does_not_carry_the_email_address():
    import base64

    story = make_story(status=Story.Status.UNCONFIRMED, email="alice.private@example.org")
    payload = confirmation_token(story).split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))

    assert b"alice" not in decoded and b"example.org" not in decoded
