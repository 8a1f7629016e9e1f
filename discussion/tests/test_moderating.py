import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from discussion import services
from discussion.models import Comment, CommentReport
from discussion.tests.helpers import comment_data, confirm_from_outbox, write_url
from hindsight.testing import make_moderator, make_story, sign_in_moderator
from moderation.models import Action, ModerationDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_story(email="author@example.org", email_confirmed_at=timezone.now())


@pytest.fixture
def moderator():
    return make_moderator()


def _confirmed_comment(client, story, **overrides) -> Comment:
    client.post(write_url(story), comment_data(**overrides))
    confirm_from_outbox(client)
    return Comment.objects.latest("id")


def test_approving_publishes_records_the_decision_and_trusts_the_commenter(client, story,
                                                                          moderator):
    comment = _confirmed_comment(client, story)

    services.comment_approve(comment=comment, moderator=moderator)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.commenter.is_trusted
    assert ModerationDecision.objects.filter(action=Action.APPROVE,
                                             object_id=comment.pk).exists()


def test_the_story_author_is_emailed_about_a_new_comment_with_a_one_click_stop(
    client, story, moderator
):
    comment = _confirmed_comment(client, story)
    mail.outbox.clear()
    services.comment_approve(comment=comment, moderator=moderator)

    message = next(m for m in mail.outbox if m.to == ["author@example.org"])
    assert "Did the fatigue come back" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop = re.search(r"http://[^/]+(/comments/unsubscribe/[^\s]+/)", message.body).group(1)
    Client(enforce_csrf_checks=True).post(stop)

    second = _confirmed_comment(Client(), story, email="sam@example.org", name="Sam")
    mail.outbox.clear()
    services.comment_approve(comment=second, moderator=moderator)
    assert not [m for m in mail.outbox if m.to == ["author@example.org"]]


def test_a_reply_emails_the_person_replied_to(client, story, moderator):
    first = _confirmed_comment(client, story)
    services.comment_approve(comment=first, moderator=moderator)
    other = Client()
    reply = _confirmed_comment(other, story, email="sam@example.org", name="Sam",
                               body="It did, after about a year.", reply_to=first.pk)
    mail.outbox.clear()

    services.comment_approve(comment=reply, moderator=moderator)

    to_jo = [m for m in mail.outbox if m.to == ["jo@example.org"]]
    assert len(to_jo) == 1
    assert "Sam replied to your comment" in to_jo[0].subject
    assert "It did, after about a year." in to_jo[0].body


def test_nobody_is_emailed_about_their_own_comment(client, story, moderator):
    comment = _confirmed_comment(client, story, email="author@example.org")
    mail.outbox.clear()

    services.comment_approve(comment=comment, moderator=moderator)

    assert mail.outbox == []


def test_spam_bans_the_address_and_hides_everything_it_posted(client, story, moderator):
    first = _confirmed_comment(client, story)
    services.comment_approve(comment=first, moderator=moderator)
    client.post(write_url(story), comment_data(body="Now an advert for a clinic"))
    advert = Comment.objects.latest("id")

    hidden = services.comment_mark_spam(comment=advert, moderator=moderator)

    assert hidden == 2
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.SPAM}
    client.post(write_url(story), comment_data(body="Still trying"))
    assert Comment.objects.latest("id").status == Comment.Status.SPAM
    assert "Did the fatigue" not in Client().get(story.get_absolute_url()).content.decode()


def test_anyone_can_report_a_comment_and_it_reaches_the_queue(client, story, moderator):
    comment = _confirmed_comment(client, story)
    services.comment_approve(comment=comment, moderator=moderator)

    response = Client().post(reverse("discussion:report", args=[comment.pk]),
                             {"reason": "spam", "note": "Sells the procedure"})

    assert response.status_code == 200
    assert CommentReport.objects.get().reason == "spam"
    assert comment in Comment.objects.needing_review()


def test_the_admin_queue_and_its_actions(client, story, moderator):
    held = _confirmed_comment(client, story)
    sign_in_moderator(client, moderator)
    changelist = reverse("admin:discussion_comment_changelist")

    page = client.get(changelist + "?queue=review")
    assert page.status_code == 200 and "Did the fatigue" in page.content.decode()
    client.post(changelist, {"action": "approve_selected", "_selected_action": [held.pk]})

    held.refresh_from_db()
    assert held.status == Comment.Status.PUBLISHED


def test_moderators_close_comments_from_the_story_list(client, story, moderator):
    sign_in_moderator(client, moderator)

    client.post(reverse("admin:stories_story_changelist"),
                {"action": "close_comments", "_selected_action": [story.pk]})

    assert services.discussion_is_closed(story)
    assert ModerationDecision.objects.filter(action=Action.CLOSE_COMMENTS).exists()


def test_the_moderation_digest_counts_what_waits(client, story, moderator):
    from django.core.management import call_command

    _confirmed_comment(client, story)
    mail.outbox.clear()

    call_command("send_moderation_digest", verbosity=0)

    message = next(m for m in mail.outbox if m.to == [moderator.email])
    assert "1 comment" in message.body
