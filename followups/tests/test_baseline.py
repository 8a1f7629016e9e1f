import pytest
from django.urls import reverse

from accounts.services import author_for_email
from followups.models import Baseline, FollowUp
from hindsight.testing import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return author_for_email("anna@example.com")


def _booked_story(author, **fields):
    return make_story(author=author, procedure_status="booked", treated_year=None,
                      treated_month=None, result="", symptoms={}, **fields)


def test_someone_who_booked_records_a_baseline_and_readers_see_it_first(client, author):
    story = _booked_story(author)
    client.force_login(author)
    url = reverse("accounts:baseline", args=[story.pk])
    page = client.get(url).content.decode()
    assert "show change honestly" in page  # the page says why it matters

    response = client.post(url, {"symptom_fatigue": "severe", "symptom_walking": "mild",
                                 "relapses_last_year": "2", "expectation": "much_better",
                                 "expectation_notes": "Hoping to walk the dog again."})

    assert response.status_code == 302
    baseline = Baseline.objects.get(story=story)
    assert baseline.symptoms == {"fatigue": "severe", "walking": "mild"}
    FollowUp.objects.create(story=story, reported_on=baseline.recorded_on, result="no_change",
                            status=FollowUp.Status.APPROVED)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Before treatment" in html and "Fatigue: very much" in html
    assert "2 relapses in the year before" in html
    assert "Hoping to walk the dog" not in html  # private notes stay private
    assert html.index("Before treatment") < html.index("No change")


def test_recording_again_updates_the_same_baseline(client, author):
    story = _booked_story(author)
    client.force_login(author)
    url = reverse("accounts:baseline", args=[story.pk])
    client.post(url, {"relapses_last_year": "1"})
    client.post(url, {"relapses_last_year": "3"})

    assert Baseline.objects.get(story=story).relapses_last_year == 3


def test_no_baseline_after_treatment(client, author):
    story = make_story(author=author)
    client.force_login(author)

    response = client.post(reverse("accounts:baseline", args=[story.pk]),
                           {"relapses_last_year": "1"})

    assert response.status_code == 302
    assert not Baseline.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("relapses_last_year", "-1"),
                                               ("relapses_last_year", "500"),
                                               ("symptom_fatigue", "unbearable"),
                                               ("expectation", "miracle")])
def test_bad_answers_are_refused_and_kept(client, author, field, value):
    story = _booked_story(author)
    client.force_login(author)

    response = client.post(reverse("accounts:baseline", args=[story.pk]),
                           {field: value, "expectation_notes": "kept text"})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "kept text" in response.content.decode()
    assert not Baseline.objects.exists()


def test_another_person_cannot_record_a_baseline_on_my_story(client, author):
    story = _booked_story(author)
    client.force_login(author_for_email("other@example.org"))

    assert client.post(reverse("accounts:baseline", args=[story.pk]), {}).status_code == 404


def test_the_baseline_is_in_the_data_download(client, author):
    story = _booked_story(author)
    Baseline.objects.create(story=story, recorded_on="2026-01-01", relapses_last_year=4,
                            expectation_notes="my hopes")
    client.force_login(author)

    data = client.get(reverse("accounts:export", args=["json"])).json()

    assert data["stories"][0]["baseline"]["expectation_notes"] == "my hopes"
