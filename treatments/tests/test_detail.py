import pytest

from hindsight.testing import make_story, make_treatment
from stories.models import Story

pytestmark = pytest.mark.django_db


def test_the_ccsvi_page_says_sham_controlled_trials_found_it_ineffective_and_cites_them(client):
    treatment = make_treatment()

    html = client.get(treatment.get_absolute_url()).content.decode()

    assert "Sham-controlled trials found that venous angioplasty does not help" in html
    assert "Brave Dreams" in html and "JAMA Neurol" in html and "2018;75(1):35–43" in html
    assert "Traboulsee" in html and "2018;91(18):e1660–e1668" in html
    text = " ".join(html.split())
    quote = "“cannot be recommended for patients with relapsing-remitting multiple sclerosis”"
    assert quote in text
    assert "<br" not in html.split('id="about-heading"')[1].split("</article>")[0]


def test_it_counts_only_published_stories(client):
    treatment = make_treatment()
    make_story(treatment)
    make_story(treatment, status=Story.Status.PENDING)

    html = client.get(treatment.get_absolute_url()).content.decode()

    assert "1 published story." in html


def test_an_unknown_treatment_is_a_404(client):
    assert client.get("/treatments/no-such-thing/").status_code == 404
