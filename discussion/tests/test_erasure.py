import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import author_for_email
from discussion import services
from discussion.models import Comment, Commenter
from discussion.tests.helpers import comment_data, confirm_from_outbox, write_url
from hindsight.testing import make_moderator, make_story

pytestmark = pytest.mark.django_db


def _published_comment(email: str, body: str) -> Comment:
    story = make_story(email="owner@example.org", email_confirmed_at=timezone.now())
    browser = Client()
    browser.post(write_url(story), comment_data(email=email, body=body))
    confirm_from_outbox(browser)
    comment = Comment.objects.latest("id")
    services.comment_approve(comment=comment, moderator=make_moderator(f"m{comment.pk}"))
    return comment


@pytest.mark.parametrize("choice", ["delete", "anonymise"])
def test_erasing_a_person_deletes_or_anonymises_their_comments_as_they_choose(client, choice):
    comment = _published_comment("anna@example.com", "Words worth keeping for the thread.")
    user = author_for_email("anna@example.com")
    client.force_login(user)

    client.post(reverse("accounts:erase-me"), {"confirm": "erase", "comments": choice})

    assert not Commenter.objects.filter(email="anna@example.com").exists()
    if choice == "delete":
        assert not Comment.objects.filter(pk=comment.pk).exists()
    else:
        kept = Comment.objects.get(pk=comment.pk)
        assert kept.commenter is None and kept.name == ""
        assert "Former member" in client.get(kept.target.get_absolute_url()).content.decode()


def test_a_signed_in_person_deletes_their_own_comment_any_time_but_not_anothers(client):
    mine = _published_comment("anna@example.com", "Mine to delete.")
    theirs = _published_comment("sam@example.org", "Not mine.")
    client.force_login(author_for_email("anna@example.com"))

    assert "Mine to delete." in client.get(reverse("accounts:my-stories")).content.decode()
    client.post(reverse("accounts:comment-delete", args=[mine.pk]))
    response = client.post(reverse("accounts:comment-delete", args=[theirs.pk]))

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == Comment.Status.DELETED
    assert response.status_code == 404 and theirs.status == Comment.Status.PUBLISHED
