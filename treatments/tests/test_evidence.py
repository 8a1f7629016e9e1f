import pytest

from hindsight.testing import make_treatment
from outcomes.tests.helpers import release_figures
from treatments.content import CCSVI_EVIDENCE_ITEMS
from treatments.models import EvidenceItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatment():
    treatment = make_treatment()
    treatment.set_evidence_items(CCSVI_EVIDENCE_ITEMS)
    return treatment


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_evidence_page_lists_every_study_with_its_citation_and_link(client, treatment):
    response = client.get(f"/treatments/{treatment.slug}/evidence/")

    assert response.status_code == 200
    text = _text(response)
    for item in CCSVI_EVIDENCE_ITEMS:
        assert item["name"] in text
        assert item["citation"] in text
        assert f'href="{item["url"]}"' in text
    assert "41.7%" in text and "48.7%" in text


def test_trials_come_first_and_the_fda_warning_has_its_own_section(client, treatment):
    text = _text(client.get(f"/treatments/{treatment.slug}/evidence/"))

    trials = text.index('id="controlled_trial"')
    warnings = text.index('id="safety_warning"')
    assert trials < text.index('id="condition_study"') < warnings
    warning_section = text[warnings:].split("</section>")[0]
    assert "Food and Drug Administration" in warning_section
    assert "10 May 2012" in warning_section
    assert "no reliable evidence from controlled clinical trials" in warning_section


def test_loading_the_items_twice_changes_nothing(treatment):
    treatment.set_evidence_items(CCSVI_EVIDENCE_ITEMS)

    assert treatment.evidence_items.count() == len(CCSVI_EVIDENCE_ITEMS)
    assert [item.name for item in treatment.evidence_items.all()] == [
        item["name"] for item in CCSVI_EVIDENCE_ITEMS
    ]


def test_a_moderators_markup_is_sanitised(client):
    treatment = make_treatment()
    EvidenceItem.objects.create(
        treatment=treatment, kind=EvidenceItem.Kind.CONTROLLED_TRIAL, name="A trial",
        published="2020", citation="A citation", url="https://example.org/",
        findings='It found <script>alert(1)</script> [this](javascript:alert(2)).',
    )

    html = client.get(f"/treatments/{treatment.slug}/evidence/").content.decode()

    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_the_page_is_public_and_linked_from_the_treatment_and_outcomes_pages(client, treatment):
    response = client.get(f"/treatments/{treatment.slug}/evidence/")
    assert "public" in response["Cache-Control"]

    evidence_url = f"/treatments/{treatment.slug}/evidence/"
    assert evidence_url in client.get(treatment.get_absolute_url()).content.decode()
    release_figures()
    assert evidence_url in client.get(f"/outcomes/{treatment.slug}/").content.decode()


def test_a_treatment_without_studies_says_so(client):
    treatment = make_treatment()

    assert "No studies have been listed" in _text(
        client.get(f"/treatments/{treatment.slug}/evidence/")
    )


def test_an_unknown_treatment_has_no_evidence_page(client):
    assert client.get("/treatments/no-such-thing/evidence/").status_code == 404
