import pytest
from django.core import mail
from django.urls import reverse

from hindsight.testing import make_treatment, valid_story_post
from stories.models import Story, StoryConsent

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatment():
    return make_treatment()


def test_it_saves_a_valid_story_as_unconfirmed_and_emails_a_link(client, treatment):
    response = client.post(reverse("stories:share"), valid_story_post(treatment))

    assert response.status_code == 302
    assert response["Location"] == reverse("stories:share-sent")
    story = Story.objects.get()
    assert story.status == Story.Status.UNCONFIRMED
    assert story.symptoms == {"fatigue": "better", "walking": "same"}
    assert story.veins == ["left_jugular", "azygos"]
    assert story.complications == ["none"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.com"]
    assert "/stories/confirm/" in mail.outbox[0].body


def test_it_records_each_consent_with_its_text(client, treatment):
    client.post(reverse("stories:share"), valid_story_post(treatment, consent_statistics=None))

    consents = {c.purpose: c for c in StoryConsent.objects.all()}
    assert consents["publish"].granted is True
    assert consents["statistics"].granted is False
    assert "statistics" in consents["statistics"].text
    assert consents["publish"].version


def test_it_ignores_a_submitted_status(client, treatment):
    client.post(reverse("stories:share"), valid_story_post(treatment, status="approved",
                                                          slug="sneaky"))

    story = Story.objects.get()
    assert story.status == Story.Status.UNCONFIRMED
    assert story.slug is None


def test_it_drops_answers_that_do_not_apply(client, treatment):
    data = valid_story_post(treatment, procedure_status="considering")
    client.post(reverse("stories:share"), data)

    story = Story.objects.get()
    assert story.city == "" and story.country == "" and story.result == ""
    assert story.symptoms == {} and story.veins == [] and story.treated_year is None


def test_it_keeps_everything_typed_when_the_form_has_errors(client, treatment):
    data = valid_story_post(treatment, email="not-an-email", treated_year="1800")
    response = client.post(reverse("stories:share"), data)

    assert response.status_code == 200
    assert Story.objects.count() == 0
    assert len(mail.outbox) == 0
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_email"' in html
    assert 'href="#id_treated_year"' in html
    assert 'value="Warmer hands after Katowice"' in html
    assert "My fatigue lifted within a week" in html
    assert 'value="not-an-email"' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "   "}, "title", "not only spaces"),
        ({"body": "Too short."}, "body", "at least 30 characters"),
        ({"consent_publish": None, "consent_statistics": None}, "consent_publish", "at least one"),
        ({"treated_year": None}, "treated_year", "year you were treated"),
        ({"result": None}, "result", "compared with before"),
        ({"complications": ["none", "bleeding"]}, "complications", "‘None’ alone"),
        ({"complications": ["other"]}, "complications_other", "what the other"),
        ({"cost_currency": ""}, "cost_currency", "currency"),
        ({"display_name": "anna@example.com"}, "display_name", "looks like an email"),
        ({"diagnosis_year": "2015"}, "diagnosis_year", "after the year of treatment"),
        ({"treated_year": "2999"}, "treated_year", "Enter a year between"),
        ({"procedure_status": "maybe"}, "procedure_status", "Select a valid choice"),
        ({"symptom_fatigue": "amazing"}, "symptom_fatigue", "Select a valid choice"),
        ({"title": "x" * 121}, "title", "at most 120"),
    ],
)
def test_it_refuses_bad_answers_with_a_clear_message(client, treatment, overrides, field, message):
    response = client.post(reverse("stories:share"), valid_story_post(treatment, **overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert Story.objects.count() == 0


def test_it_refuses_a_null_character_without_a_server_error(client, treatment):
    response = client.post(reverse("stories:share"),
                           valid_story_post(treatment, title="bad\x00title"))

    assert response.status_code == 200
    assert "title" in response.context["form"].errors


def test_the_form_page_is_never_cached(client, treatment):
    response = client.get(reverse("stories:share"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_it_preselects_the_treatment_named_in_the_address(client, treatment):
    other = make_treatment(slug="other-treatment", name="Other")
    response = client.get(reverse("stories:share") + "?treatment=other-treatment")

    assert response.context["form"].initial["treatment"] == other
