import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from hindsight.testing import admin_form_data, make_moderator, make_story, sign_in_moderator
from moderation.models import Action, ModerationDecision, RejectReason
from stories import services
from stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def pending():
    return make_story(status=Story.Status.PENDING, title="Katowice, March 2011")


def test_approving_publishes_with_a_slug_records_who_and_emails_the_author(moderator, pending):
    story = services.story_approve(story=pending, moderator=moderator, note="fine")

    assert story.status == Story.Status.APPROVED
    assert story.slug.startswith("katowice-march-2011-")
    assert story.published_at is not None
    decision = ModerationDecision.objects.get(action=Action.APPROVE)
    assert decision.moderator == moderator and decision.object_id == story.pk
    assert decision.note == "fine"
    assert len(mail.outbox) == 1
    assert story.get_absolute_url() in mail.outbox[0].body


def test_rejecting_records_the_reason_and_tells_the_author(moderator, pending):
    services.story_reject(story=pending, moderator=moderator, reason=RejectReason.IDENTIFYING,
                          note="It names your surgeon's nurse.")

    pending.refresh_from_db()
    assert pending.status == Story.Status.REJECTED
    decision = ModerationDecision.objects.get(action=Action.REJECT)
    assert decision.reason == RejectReason.IDENTIFYING
    assert "identifies someone" in mail.outbox[0].body
    assert "surgeon's nurse" in mail.outbox[0].body


def test_another_reason_needs_a_note(moderator, pending):
    with pytest.raises(ValidationError):
        services.story_reject(story=pending, moderator=moderator, reason=RejectReason.OTHER)


@pytest.mark.parametrize("status", [Story.Status.UNCONFIRMED, Story.Status.WITHDRAWN])
def test_unconfirmed_or_withdrawn_stories_cannot_be_approved(moderator, status):
    story = make_story(status=status)
    with pytest.raises(ValidationError):
        services.story_approve(story=story, moderator=moderator)
    story.refresh_from_db()
    assert story.status == status


def test_the_slug_comes_from_the_title_as_edited_by_the_moderator(client, moderator, pending):
    sign_in_moderator(client, moderator)
    url = reverse("admin:stories_story_change", args=[pending.pk])
    data = admin_form_data(client.get(url))
    data.update({"title": "A city in Poland"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    story = services.story_approve(story=Story.objects.get(pk=pending.pk), moderator=moderator)
    assert story.slug.startswith("a-city-in-poland-")
    edit = ModerationDecision.objects.get(action=Action.EDIT)
    assert "title" in edit.changed_fields
    assert edit.moderator == moderator


def test_the_queue_shows_only_stories_waiting_for_review(client, moderator, pending):
    make_story(status=Story.Status.UNCONFIRMED, title="Not confirmed yet")
    make_story(status=Story.Status.APPROVED, title="Already out")
    sign_in_moderator(client, moderator)

    response = client.get(reverse("admin:stories_storyawaitingreview_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Katowice, March 2011" in html
    assert "Not confirmed yet" not in html and "Already out" not in html


def test_the_moderator_never_sees_the_authors_email(client, moderator, pending):
    sign_in_moderator(client, moderator)
    response = client.get(reverse("admin:stories_story_change", args=[pending.pk]))

    assert "anna@example.com" not in response.content.decode()


def test_the_publish_button_saves_the_edit_then_approves(client, moderator, pending):
    sign_in_moderator(client, moderator)
    url = reverse("admin:stories_storyawaitingreview_change", args=[pending.pk])
    data = admin_form_data(client.get(url))
    data.update({"body": "My husband and I drove to the clinic.", "_publish": "1"})

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:stories_storyawaitingreview_changelist")
    pending.refresh_from_db()
    assert pending.status == Story.Status.APPROVED
    assert pending.body == "My husband and I drove to the clinic."
    assert "husband and I drove" in pending.body_html
    approve = ModerationDecision.objects.get(action=Action.APPROVE)
    assert approve.changed_fields == ["body"]
    assert ModerationDecision.objects.get(action=Action.EDIT).changed_fields == ["body"]
    # The author's email says it is published; the text in it is what was approved.
    assert all("Katowice" not in m.body or "husband" not in m.body for m in mail.outbox)


def test_publish_with_an_invalid_edit_publishes_nothing_and_keeps_the_typing(
    client, moderator, pending
):
    sign_in_moderator(client, moderator)
    url = reverse("admin:stories_story_change", args=[pending.pk])
    data = admin_form_data(client.get(url))
    data.update({"body": "Edited words", "treated_month": "13", "_publish": "1"})

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Edited words" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Story.Status.PENDING
    assert pending.body != "Edited words"


def test_there_is_no_way_to_publish_without_the_form(client, moderator, pending):
    sign_in_moderator(client, moderator)
    response = client.get(reverse("admin:stories_story_change", args=[pending.pk]))
    html = response.content.decode()

    # Every decision button is inside the story's own form, after its fields.
    form_start = html.index('id="story_form"')
    form_end = html.index("</form>", form_start)
    assert html.index('name="_publish"') > form_start
    assert html.index('name="_publish"') < form_end
    assert html.count('name="_publish"') == 1
    assert "/approve/" not in html


def test_rejecting_from_the_admin_asks_for_a_reason(client, moderator, pending):
    sign_in_moderator(client, moderator)
    url = reverse("admin:stories_story_reject", args=[pending.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "other", "note": " "})
    assert response.status_code == 200  # note required for "another reason"
    pending.refresh_from_db()
    assert pending.status == Story.Status.PENDING

    client.post(url, {"reason": "spam", "note": ""})
    pending.refresh_from_db()
    assert pending.status == Story.Status.REJECTED


def test_bulk_actions_approve_and_reject(client, moderator, pending):
    other = make_story(status=Story.Status.PENDING, title="Second")
    sign_in_moderator(client, moderator)
    changelist = reverse("admin:stories_storyawaitingreview_changelist")

    client.post(changelist, {"action": "approve_selected", "_selected_action": [pending.pk]})
    client.post(changelist, {"action": "reject_selected", "_selected_action": [other.pk],
                             "reason": "duplicate", "note": ""})

    pending.refresh_from_db()
    other.refresh_from_db()
    assert pending.status == Story.Status.APPROVED
    assert other.status == Story.Status.REJECTED


def test_someone_without_moderation_rights_cannot_approve(client, pending):
    staff = get_user_model().objects.create_user("clerk", "c@example.invalid", "pw-long-enough-1",
                                                 is_staff=True)
    sign_in_moderator(client, staff)
    response = client.post(reverse("admin:stories_story_change", args=[pending.pk]),
                           {"_publish": "1"})

    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Story.Status.PENDING


def test_anonymous_visitors_are_sent_to_sign_in(client, pending):
    response = client.post(reverse("admin:stories_story_change", args=[pending.pk]),
                           {"_publish": "1"})

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    pending.refresh_from_db()
    assert pending.status == Story.Status.PENDING


def test_the_decision_log_cannot_be_edited(client, moderator, pending):
    services.story_approve(story=pending, moderator=moderator)
    admin = get_user_model().objects.create_superuser("root", "r@example.invalid", "pw-long-1-x")
    sign_in_moderator(client, admin)
    decision = ModerationDecision.objects.get(action=Action.APPROVE)

    response = client.post(reverse("admin:moderation_moderationdecision_delete",
                                   args=[decision.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert ModerationDecision.objects.filter(pk=decision.pk).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("treated_month", "13"), ("symptoms_fatigue", "amazing"),
     ("cost_currency", "DOGE"), ("veins", ["neck"]), ("display_name", "\u202eCarol")],
)
def test_a_moderator_typo_is_refused_not_published(client, moderator, pending, field, value):
    sign_in_moderator(client, moderator)
    url = reverse("admin:stories_story_change", args=[pending.pk])
    data = admin_form_data(client.get(url))
    data.update({field: value, "_publish": "1"})

    response = client.post(url, data)

    assert response.status_code == 200
    assert field.split("_fatigue")[0] in response.context["adminform"].form.errors
    pending.refresh_from_db()
    assert pending.status == Story.Status.PENDING
    assert str(getattr(pending, field.split("_fatigue")[0])) != value
