"""Follow-ups: the author's form, the urgent guidance for serious complications, moderation in
the admin, and the public timeline of what happened next."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import author_for_email
from followups.models import FollowUp
from hindsight.testing import make_moderator, make_story, sign_in_moderator
from moderation.models import Action, ModerationDecision, RejectReason

pytestmark = pytest.mark.django_db

CHANGELIST = "/moderation/followups/followup/"
URGENT = "Please get medical care now"


@pytest.fixture
def author():
    return author_for_email("anna@example.com")


@pytest.fixture
def story(author):
    """Treated in March 2011, published."""
    return make_story(author=author, title="Katowice, March 2011")


@pytest.fixture
def author_client(author):
    client = Client()
    client.force_login(author)
    return client


@pytest.fixture
def moderator_client():
    """A moderator with the follow-up rights the site's Moderators group is given
    (see load_demo), signed in with password and authenticator."""
    moderator = make_moderator()
    group = Group.objects.get(name="Moderators")
    for codename in ("view_followup", "change_followup"):
        group.permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    sign_in_moderator(client, moderator)
    client.moderator = moderator
    return client


def valid_post(**overrides) -> dict:
    data = {
        "reported_on": "2012-03-10",
        "result": "little_better",
        "symptom_fatigue": "better",
        "symptom_walking": "same",
        "relapses_since_last": "1",
        "new_complications": ["none"],
        "restenosis": "no",
        "body": "Walking is still easier a year on.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def add_url(story) -> str:
    return reverse("accounts:followup-add", args=[story.pk])


def decisions_for(followup) -> list[ModerationDecision]:
    return list(ModerationDecision.objects.filter(
        content_type=ContentType.objects.get_for_model(FollowUp), object_id=followup.pk
    ))


def test_it_saves_a_valid_follow_up_as_pending_and_linked_to_the_story(story, author_client):
    response = author_client.post(add_url(story), valid_post(status="approved"))

    followup = FollowUp.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:followup-sent",
                                           args=[story.pk, followup.pk])
    assert followup.story == story
    assert followup.status == FollowUp.Status.PENDING
    assert followup.published_at is None
    assert followup.reported_on == datetime.date(2012, 3, 10)
    assert followup.result == "little_better"
    assert followup.symptoms == {"fatigue": "better", "walking": "same"}
    assert followup.relapses_since_last == 1
    assert followup.new_complications == ["none"]
    assert followup.restenosis == "no"
    assert decisions_for(followup) == []  # nobody has looked at it yet


def test_the_form_offers_today_as_the_date(story, author_client):
    response = author_client.get(add_url(story))

    assert response.status_code == 200
    assert f'value="{timezone.localdate().isoformat()}"' in response.content.decode()


def _tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param({"reported_on": "FUTURE"}, "reported_on", "This date is in the future.",
                     id="future date"),
        pytest.param({"reported_on": "2011-02-28"}, "reported_on",
                     "This date is before your treatment (March 2011).",
                     id="before treatment"),
        pytest.param({"new_complications": ["none", "bleeding"]}, "new_complications",
                     "You chose ‘None’ and a complication. Choose ‘None’ alone, or untick it.",
                     id="none with a complication"),
    ],
)
def test_it_refuses_bad_answers_with_a_clear_message_and_keeps_what_was_typed(
    story, author_client, overrides, field, message
):
    if overrides.get("reported_on") == "FUTURE":
        overrides = {"reported_on": _tomorrow()}
    data = valid_post(**overrides)

    response = author_client.post(add_url(story), data)

    assert response.status_code == 200
    assert not FollowUp.objects.exists()
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert message in html
    assert 'class="error-summary"' in html
    assert f'value="{data["reported_on"]}"' in html
    assert "Walking is still easier a year on." in html
    assert re.search(r'name="result" value="little_better" id="[^"]+" checked', html)
    assert re.search(r'name="symptom_fatigue" value="better" id="[^"]+" checked', html)
    assert 'value="1"' in html  # relapses since the last report
    assert response.context["form"]["relapses_since_last"].value() == "1"
    assert response.context["form"]["symptom_fatigue"].value() == "better"


@pytest.mark.parametrize("complication", ["bleeding", "vein_clot", "stent_moved"])
def test_a_serious_complication_gets_medical_guidance_straight_after_sending(
    story, author_client, complication
):
    response = author_client.post(add_url(story), valid_post(new_complications=[complication]),
                                  follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert URGENT in html
    assert "MedWatch" in html
    assert "emergency number" in html
    followup = FollowUp.objects.get()
    assert followup.status == FollowUp.Status.PENDING  # before any moderator has seen it
    assert decisions_for(followup) == []


@pytest.mark.parametrize("complications", [["none"], ["restenosis"], ["other"], []])
def test_other_answers_get_a_plain_thank_you(story, author_client, complications):
    data = valid_post(new_complications=complications or None)

    response = author_client.post(add_url(story), data, follow=True)

    html = response.content.decode()
    assert "your follow-up is saved" in html
    assert URGENT not in html
    assert "MedWatch" not in html


def test_the_guidance_is_shown_again_if_the_page_is_reopened(story, author_client):
    author_client.post(add_url(story), valid_post(new_complications=["vein_clot"]))
    followup = FollowUp.objects.get()

    page = author_client.get(reverse("accounts:followup-sent", args=[story.pk, followup.pk]))

    assert URGENT in page.content.decode()
    assert "a clot in the vein" in page.content.decode()


def _pending(story, **fields) -> FollowUp:
    defaults = {"reported_on": datetime.date(2012, 3, 10), "result": "little_better"}
    defaults.update(fields)
    return FollowUp.objects.create(story=story, **defaults)


def test_approving_in_the_admin_publishes_and_records_the_decision(story, moderator_client):
    followup = _pending(story)

    response = moderator_client.post(CHANGELIST, {"action": "approve_selected",
                                                  "_selected_action": [followup.pk]})

    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.APPROVED
    assert followup.published_at is not None
    [decision] = decisions_for(followup)
    assert decision.action == Action.APPROVE
    assert decision.moderator == moderator_client.moderator


def test_approving_twice_records_one_decision(story, moderator_client):
    followup = _pending(story)
    action = {"action": "approve_selected", "_selected_action": [followup.pk]}

    moderator_client.post(CHANGELIST, action)
    moderator_client.post(CHANGELIST, action)

    assert len(decisions_for(followup)) == 1


def test_rejecting_in_the_admin_asks_for_a_reason_then_records_it(story, moderator_client):
    followup = _pending(story)
    action = {"action": "reject_selected", "_selected_action": [followup.pk]}

    asked = moderator_client.post(CHANGELIST, action)
    assert asked.status_code == 200
    assert 'name="reason"' in asked.content.decode()
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.PENDING

    moderator_client.post(CHANGELIST, {**action, "reason": RejectReason.IDENTIFYING,
                                       "note": "It names the nurse."})

    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.REJECTED
    [decision] = decisions_for(followup)
    assert decision.action == Action.REJECT
    assert decision.reason == RejectReason.IDENTIFYING
    assert decision.moderator == moderator_client.moderator


def test_an_author_cannot_use_the_follow_up_admin(story, author, author_client):
    followup = _pending(story)

    response = author_client.post(CHANGELIST, {"action": "approve_selected",
                                               "_selected_action": [followup.pk]})

    assert response.status_code in (302, 403)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.PENDING
    assert decisions_for(followup) == []


def test_only_approved_follow_ups_appear_on_the_public_timeline(story, moderator_client, client):
    shown = _pending(story, reported_on=datetime.date(2012, 3, 10), body="Shown after approval.")
    _pending(story, reported_on=datetime.date(2013, 3, 10), body="Still waiting.")
    rejected = _pending(story, reported_on=datetime.date(2014, 3, 10), body="Turned down.")
    moderator_client.post(CHANGELIST, {"action": "approve_selected",
                                       "_selected_action": [shown.pk]})
    moderator_client.post(CHANGELIST, {"action": "reject_selected",
                                       "_selected_action": [rejected.pk], "reason": "spam"})

    html = client.get(story.get_absolute_url()).content.decode()

    assert "What happened next" in html
    assert "12 months after treatment" in html
    assert "Shown after approval." in html
    assert "Still waiting." not in html and "24 months after treatment" not in html
    assert "Turned down." not in html and "36 months after treatment" not in html


def test_one_month_is_said_in_the_singular(story):
    _pending(story, reported_on=datetime.date(2011, 4, 20), status=FollowUp.Status.APPROVED)

    html = Client().get(story.get_absolute_url()).content.decode()

    assert "1 month after treatment" in html
    assert "1 months" not in html


def test_there_is_no_timeline_until_a_follow_up_is_approved(story, client):
    _pending(story, body="Still waiting.")

    html = client.get(story.get_absolute_url()).content.decode()

    assert "What happened next" not in html
    assert "Still waiting." not in html


def test_the_timeline_is_in_date_order(story, client):
    _pending(story, reported_on=datetime.date(2013, 3, 10), body="The later one.",
             status=FollowUp.Status.APPROVED)
    _pending(story, reported_on=datetime.date(2011, 9, 10), body="The earlier one.",
             status=FollowUp.Status.APPROVED)

    html = client.get(story.get_absolute_url()).content.decode()

    assert html.index("6 months after treatment") < html.index("24 months after treatment")
    assert html.index("The earlier one.") < html.index("The later one.")
