import pytest

from hindsight.testing import make_story, make_treatment

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_treatments_and_recent_stories(client):
    treatment = make_treatment()
    make_story(treatment, title="Recent and published")

    html = client.get("/").content.decode()

    assert treatment.name in html
    assert "Recent and published" in html


def test_the_home_page_works_on_an_empty_site(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "No stories have been published yet" in response.content.decode()
